// "Host the server here": the sampling point's server runs on the kiosk laptop itself, as a child
// process of the shell under the machine's own Node.js. Not inside Electron: better-sqlite3 is built for
// the Node.js that ran `npm install`, not for Electron's ABI, and a server crash must not take the
// kiosk window with it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { KioskConfig } from '../shared/kioskShell';
import { serverBaseUrl } from './kioskConfig';
import { serverReachable } from './reconnect';

type HostConfig = Extract<KioskConfig, { mode: 'host' }>;

const START_TIMEOUT_MS = 120_000;

/** The hosted server's environment: port and data folder from the kiosk config, always embedded SQLite. */
export function hostedServerEnv(config: HostConfig, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // Operator settings (PINs, secret, log level) still come from the environment.
  const { ELECTRON_RUN_AS_NODE: _electronAsNode, DATABASE_URL: _db, REDIS_URL: _redis, ...rest } = env;
  return { ...rest, PORT: String(config.port), DATA_DIR: config.dataDir, HOST: env.HOST ?? '0.0.0.0' };
}

export interface HostedServer {
  url: string;
  close(): Promise<void>;
}

/** Starts `server/cli/start.ts` under Node.js (NATQ_NODE, else `node` on the PATH) and waits for its health check. */
export async function startHostedServer(opts: { appRoot: string; config: HostConfig; env?: NodeJS.ProcessEnv }): Promise<HostedServer> {
  const env = opts.env ?? process.env;
  const child = spawn(env.NATQ_NODE ?? 'node', ['--import', 'tsx', path.join(opts.appRoot, 'server/cli/start.ts')], {
    cwd: opts.appRoot,
    env: hostedServerEnv(opts.config, env),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let gone = false;
  void exited.then(() => (gone = true));
  const url = serverBaseUrl(opts.config);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await serverReachable(url))) {
    if (gone) throw new Error(`the hosted server stopped while starting (exit code ${await exited}); see its output`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the hosted server did not answer on port ${opts.config.port} within ${START_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    async close() {
      // SIGTERM lets the server close its database cleanly; it is forced after 10 s.
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
