// The second listener: the same Fastify routes and the same Socket.IO engine as the HTTP port, over
// TLS. LAN devices need it (camera, service worker: a secure context); the kiosk on this laptop may
// keep http://localhost. While it runs, a change of the machine's addresses (new Wi-Fi, DHCP) gets a
// reissued certificate without a restart.
import https from 'node:https';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from '../log';
import type { IoServer } from '../socket/socketServer';
import { httpsOrigin, machineNames, sameNames } from './machineNames';
import { loadServerTls, type HttpsConfig, type ServerTls } from './serverTls';
import type { buildHttp } from '../http/httpServer';
import type { FrontDoor } from '../turn/polledPages';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export interface HttpsListener {
  readonly port: number;
  readonly tls: ServerTls;
  /** https://<name>:<port> for each LAN name, best first. */
  origins(): string[];
  /** Reissues the certificate if the machine's names changed since (the watch calls it every minute). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

const WATCH_MS = 60_000;

export async function startHttpsListener(opts: {
  app: HttpApp;
  io: IoServer;
  dataDir: string;
  config: HttpsConfig;
  host: string;
  logger: Logger;
  /** Answers some requests before Fastify (the polled phone pages, server/turn/polledPages.ts). */
  front?: FrontDoor;
  /** The machine's names now (tests give their own). */
  names?: () => ReturnType<typeof machineNames>;
}): Promise<HttpsListener> {
  const names = opts.names ?? (() => machineNames(opts.config.extraHosts));
  let current = await loadServerTls(opts.dataDir, opts.config, names());
  const server = https.createServer({ cert: current.cert, key: current.key }, (req, res) => {
    if (!opts.front?.(req, res)) opts.app.routing(req, res);
  });
  // The same limits on slow or idle clients as the HTTP listener.
  const plain: HttpServer = opts.app.server;
  server.keepAliveTimeout = plain.keepAliveTimeout;
  server.headersTimeout = plain.headersTimeout;
  server.requestTimeout = plain.requestTimeout;
  server.timeout = plain.timeout;
  // One engine for both listeners: rooms, broadcasts and the Redis adapter are shared.
  opts.io.engine.attach(server, { path: opts.io.path() });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.config.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.config.port;

  let refreshing: Promise<void> | null = null;
  const listener: HttpsListener = {
    port,
    get tls() {
      return current;
    },
    origins: () => current.names.lan.map((n) => httpsOrigin(n, port)),
    refresh() {
      refreshing ??= (async () => {
        const now = names();
        if (current.ca === null || sameNames(now.all, current.names.all)) return;
        current = await loadServerTls(opts.dataDir, opts.config, now);
        server.setSecureContext({ cert: current.cert, key: current.key });
        opts.logger.info({ names: now.lan }, "the machine's addresses changed: the HTTPS certificate was reissued for them");
      })()
        .catch((err) => opts.logger.error({ err }, 'the HTTPS certificate could not be reissued for the new addresses'))
        .finally(() => (refreshing = null));
      return refreshing;
    },
    async close() {
      clearInterval(watch);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  const watch = setInterval(() => void listener.refresh(), WATCH_MS);
  watch.unref();
  return listener;
}
