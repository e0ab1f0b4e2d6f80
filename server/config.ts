import path from 'node:path';
import { DEFAULT_SITE_TZ, isTimeZone } from '../shared/siteDate';
import type { HttpsConfig } from './tls/serverTls';

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
  /** A demo server (NATQ_DEMO=1, set by `npm run demo`): the pages mark everything as demo data. */
  demo: boolean;
  /** The HTTPS listener for LAN devices; null when HTTPS_PORT=off. */
  https: HttpsConfig | null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const siteTz = env.SITE_TZ || DEFAULT_SITE_TZ;
  if (!isTimeZone(siteTz)) throw new Error(`SITE_TZ must be a time zone name such as Asia/Shanghai, got "${env.SITE_TZ}"`);
  return {
    port,
    https: httpsConfig(env, port),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || null,
    redisUrl: env.REDIS_URL || null,
    redisStream: env.REDIS_STREAM || 'natq:socket.io',
    secret: env.NATQ_SECRET || null,
    logLevel: env.LOG_LEVEL ?? 'info',
    pins: { kiosk: env.KIOSK_PIN, volunteer: env.VOLUNTEER_PIN, staff: env.STAFF_PIN },
    siteTz,
    demo: env.NATQ_DEMO === '1',
  };
}

/** HTTPS_PORT (default 8443; with PORT=0, a free port too), TLS_CERT + TLS_KEY, TLS_HOSTS. */
function httpsConfig(env: NodeJS.ProcessEnv, port: number): HttpsConfig | null {
  const value = env.HTTPS_PORT ?? (port === 0 ? '0' : '8443');
  if (value === 'off') return null;
  const httpsPort = Number(value);
  if (!Number.isInteger(httpsPort) || httpsPort < 0 || httpsPort > 65535)
    throw new Error(`HTTPS_PORT must be a port number or "off", got "${value}"`);
  if (!env.TLS_CERT !== !env.TLS_KEY)
    throw new Error('TLS_CERT and TLS_KEY go together: set both (PEM files) or neither (a local CA is made)');
  return {
    port: httpsPort,
    certFile: env.TLS_CERT ? path.resolve(env.TLS_CERT) : null,
    keyFile: env.TLS_KEY ? path.resolve(env.TLS_KEY) : null,
    extraHosts: (env.TLS_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  };
}
