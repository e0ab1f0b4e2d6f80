import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { Config } from './config';
import { lockDataDir, type DataDirLock } from './dataDir/dataDirLock';
import { connect } from './db/connect';
import { buildHttp } from './http/httpServer';
import { uploadsDir } from './roster/savedUpload';
import type { HttpTimeouts } from './http/timeouts';
import { registerRoundsRoutes } from './http/roundsRoutes';
import { LabService } from './lab/labService';
import { registerMeRoutes } from './me/meRoutes';
import { pointsRoute, registerPointsRoutes } from './points/pointsRoutes';
import { registerSessionRoutes } from './http/sessionRoutes';
import { TeamAccess } from './homeVisits/teamAccess';
import { memoryLimits, redisLimits } from './limits/limits';
import { createLogger, type Logger } from './log';
import { QueueService } from './queue/queueService';
import { connectRedis } from './redis/redisClient';
import { AccessTokens } from './security/accessTokens';
import { loadMasterSecret } from './security/masterSecret';
import { Pins } from './security/pins';
import { ResidentCrypto } from './security/residentCrypto';
import { attachQueueSockets, JOIN_TIMEOUT_MS, MAX_MESSAGE_BYTES, type IoServer } from './socket/socketServer';
import { attachRedisAdapter } from './socket/redisAdapter';
import { startHttpsListener, type HttpsListener } from './tls/httpsListener';
import { isLanHttp, redirectLanHttp } from './tls/lanHttp';
import { registerTlsRoutes } from './tls/tlsRoutes';
import { answerFirst, PolledFront, RecentSnapshot, registerPolledRoute } from './turn/polledPages';
import { turnRoute } from './turn/turnRoutes';
import { KyselyStore } from './store/kyselyStore';
import { ChangeBus } from './write/changeBus';
import { WritePipeline } from './write/writePipeline';
import { HallService } from './hall/hall';
import type { Role } from '../shared/roles';

export const DEFAULT_STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/renderer');

export interface RunningServer {
  url: string;
  port: number;
  store: KyselyStore;
  queue: QueueService;
  /** Every feature's writes; committed changes reach `bus`. */
  pipeline: WritePipeline;
  bus: ChangeBus;
  crypto: ResidentCrypto;
  tokens: AccessTokens;
  io: IoServer;
  /** The HTTP routes (tests walk them to fuzz every endpoint). */
  http: Awaited<ReturnType<typeof buildHttp>>;
  logger: Logger;
  /** The HTTPS listener for LAN devices (null when HTTPS_PORT=off). */
  https: HttpsListener | null;
  /** PINs made at this start (first start only); the caller shows them to the operator. */
  createdPins: Partial<Record<Role, string>>;
  close(): Promise<void>;
}

/**
 * A lost connection's error without what node-postgres hangs on it: its client, with the connection
 * settings and the SQL of every statement it prepared (some 10 KB a line).
 */
function connectionError(err: Error): { type: string; message: string; code?: string } {
  const code = (err as { code?: unknown }).code;
  return { type: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
}

/** Starts one node: storage, HTTP API and pages, Socket.IO. Used by `npm start`, the demo and tests. */
export async function startServer(
  config: Config,
  opts: { staticDir?: string; logger?: Logger; timeouts?: HttpTimeouts } = {},
): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  // Embedded SQLite: the data folder is this server's alone, taken before anything in it is written.
  const lock = config.databaseUrl === null ? lockDataDir(config.dataDir) : null;
  let store: KyselyStore | null = null;
  try {
    const master = loadMasterSecret({ secret: config.secret, dataDir: config.dataDir, scaleOut: config.databaseUrl !== null });
    store = await KyselyStore.open(
      await connect(config, (err) =>
        logger.warn({ err: connectionError(err) }, 'a database connection was closed; a new one is opened when needed'),
      ),
    );
    return await startNode(config, { staticDir: opts.staticDir, timeouts: opts.timeouts, logger, master, store, lock });
  } catch (err) {
    // A start that failed half way lets go of what it took, so the next try is not refused.
    await store?.close();
    lock?.release();
    throw err;
  }
}

/** The services of one node, on its storage. */
async function startNode(
  config: Config,
  {
    staticDir,
    timeouts,
    logger,
    master,
    store,
    lock,
  }: { staticDir?: string; timeouts?: HttpTimeouts; logger: Logger; master: Buffer; store: KyselyStore; lock: DataDirLock | null },
): Promise<RunningServer> {
  const crypto = new ResidentCrypto(master);
  const tokens = new AccessTokens(master, store);
  const { pins, created, changed } = await Pins.load(store, config.pins);
  const bus = new ChangeBus();
  const pipeline = new WritePipeline(store, bus);
  const queue = new QueueService(store, pipeline, crypto);
  const lab = new LabService(store, pipeline, crypto);
  await queue.ensureDefaults(config.siteTz);

  // One Redis connection relays live changes and counts the limits every node shares.
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger) : null;
  const limits = redis ? redisLimits(redis.client, config.redisStream) : memoryLimits();

  const http = await buildHttp({
    store,
    pipeline,
    crypto,
    lab,
    tokens,
    pins,
    logger,
    limits,
    siteTz: config.siteTz,
    demo: config.demo,
    staticDir: staticDir ?? DEFAULT_STATIC_DIR,
    timeouts,
    uploadsDir: uploadsDir(config.dataDir),
  });
  registerRoundsRoutes(http, { store, pipeline, crypto, tokens, teamAccess: new TeamAccess(master, store), siteTz: config.siteTz });
  registerPointsRoutes(http, { pipeline, tokens });
  registerMeRoutes(http, { store, pipeline, crypto, lab, tokens, limits });
  // The phones' pages (turn, /points): polled answers from one snapshot a second, answered before Fastify.
  const snapshots = new RecentSnapshot(() => queue.snapshot());
  const polled = [turnRoute(snapshots), pointsRoute(snapshots)];
  for (const route of polled) registerPolledRoute(http, route);
  const front = new PolledFront(polled, (req) => !config.https || !isLanHttp(req));
  http.addHook('preClose', async () => front.close());
  answerFirst(http.server, front.answer);
  let https: HttpsListener | null = null;
  registerTlsRoutes(
    http,
    () => https,
    () => (http.server.address() as { port?: number } | null)?.port ?? config.port,
  );
  if (config.https)
    redirectLanHttp(
      http,
      () => https?.port ?? config.https!.port,
      () => https?.origins()[0],
    );
  const io: IoServer = new Server(http.server, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    connectTimeout: JOIN_TIMEOUT_MS,
    // With HTTPS on, LAN sockets use it (see tls/lanHttp.ts); plain HTTP sockets are this laptop's only.
    allowRequest: (req, done) => done(null, !config.https || !isLanHttp(req)),
  });
  if (redis) attachRedisAdapter(io, redis.client, config.redisStream);
  attachQueueSockets(io, { queue, hall: new HallService(pipeline), bus }, tokens, logger, limits);
  await registerSessionRoutes(http, { tokens, pins, io, limits, changedAtStart: changed });
  await http.listen({ port: config.port, host: config.host });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  try {
    if (config.https)
      https = await startHttpsListener({
        app: http,
        front: front.answer,
        io,
        dataDir: config.dataDir,
        config: config.https,
        host: config.host,
        logger,
      });
  } catch (err) {
    await io.close();
    await http.close();
    await redis?.close();
    throw err;
  }

  return {
    url: `http://localhost:${port}`,
    port,
    store,
    queue,
    pipeline,
    bus,
    crypto,
    tokens,
    io,
    http,
    https,
    logger,
    createdPins: created,
    async close() {
      await https?.close();
      // Sockets first, then Fastify: its close ends the polled front and answers the last requests with a
      // 503 that closes their connections. Closed the other way round, the HTTP server waited for phones
      // polling on kept-alive connections every few seconds, for as long as they polled.
      io.disconnectSockets(true);
      await http.close();
      await io.close();
      await redis?.close();
      await store.close();
      lock?.release();
    },
  };
}
