// "Host the server here": the sampling point's server runs inside the kiosk shell itself.
import { loadConfig, type Config } from '../server/config';
import type { KioskConfig } from '../shared/kioskShell';

/** The server config for host mode: reachable from the point's tablets and display on the LAN. */
export function hostedServerConfig(config: Extract<KioskConfig, { mode: 'host' }>, env: NodeJS.ProcessEnv = process.env): Config {
  // Operator settings (PINs, secret, log level) still come from the environment; the place and port from the kiosk config.
  return loadConfig({ ...env, PORT: String(config.port), DATA_DIR: config.dataDir, HOST: env.HOST ?? '0.0.0.0', DATABASE_URL: '', REDIS_URL: '' });
}
