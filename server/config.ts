import path from 'node:path';
import { DEFAULT_SITE_TZ, isTimeZone } from '../shared/siteDate';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL for scale-out; embedded SQLite in dataDir when absent. */
  databaseUrl: string | null;
  /** Redis for the Socket.IO adapter when several nodes serve one community. */
  redisUrl: string | null;
  /** The Redis stream the nodes of one community share (several communities may share one Redis). */
  redisStream: string;
  /** Shared master secret (required with PostgreSQL: every node must sign and hash alike). */
  secret: string | null;
  logLevel: string;
  /** PINs given by the operator; otherwise generated at first start. */
  pins: { kiosk?: string; volunteer?: string; staff?: string };
  /** The site's time zone (IANA name): every date a person reads (rounds, exports, file names) is in it. */
  siteTz: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const siteTz = env.SITE_TZ || DEFAULT_SITE_TZ;
  if (!isTimeZone(siteTz)) throw new Error(`SITE_TZ must be a time zone name such as Asia/Shanghai, got "${env.SITE_TZ}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || null,
    redisUrl: env.REDIS_URL || null,
    redisStream: env.REDIS_STREAM || 'natq:socket.io',
    secret: env.NATQ_SECRET || null,
    logLevel: env.LOG_LEVEL ?? 'info',
    pins: { kiosk: env.KIOSK_PIN, volunteer: env.VOLUNTEER_PIN, staff: env.STAFF_PIN },
    siteTz,
  };
}
