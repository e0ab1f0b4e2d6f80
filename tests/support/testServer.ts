import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { HttpTimeouts } from '../../server/http/timeouts';
import type { Logger } from '../../server/log';
import { API, type HouseholdCodes, type ImportReport } from '../../shared/api';
import type { ApiError, Change, ClientToServerEvents, ServerToClientEvents, Snapshot } from '../../shared/protocol';
import type { Role } from '../../shared/roles';
import { freshPostgresDatabase, freshRedisStream, REDIS_URL, type Backend } from './backends';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export const PINS = { kiosk: '1111', volunteer: '2222', staff: '3333' } as const;
const SECRET = 'test-secret-test-secret-test-secret-0123';

/** A client that records everything the server pushed to it. */
export interface Listener {
  socket: Client;
  snapshots: Snapshot[];
  changes: Change[];
  /** Resolves once a change with at least this version arrived. */
  untilVersion(version: number): Promise<void>;
}

export interface TestSite {
  backend: Backend;
  /** The first node (the only one except on postgres+redis). */
  server: RunningServer;
  /** Every node serving this site: two on postgres+redis, sharing one database and one Redis stream. */
  servers: RunningServer[];
  url: string;
  token(role: Role, node?: number): Promise<string>;
  /** A client on the given node; without one, clients take the nodes in turn (kiosk on node 1, display on node 2 ...). */
  connect(role: Role, device?: string, node?: number): Promise<Listener>;
  /** key: the page's idempotency key for the file (a replay gets the first report). */
  importRoster(
    body: Buffer | string,
    filename?: string,
    role?: Role,
    key?: string,
  ): Promise<{ status: number; body: ImportReport & { error?: ApiError } }>;
  codes(building: string): Promise<HouseholdCodes[]>;
  /** Printed resident codes of these buildings by resident name (test rosters use unique names). */
  codesByName(...buildings: string[]): Promise<Map<string, string>>;
  /** Stops every node (open pages keep trying to reconnect); the data stays. */
  stop(): Promise<void>;
  /** Starts the stopped nodes again on the same data and the same ports, so open pages find them. */
  start(): Promise<void>;
  /** Stops the server and starts a new one on the same data; `env` changes its settings from then on (a new PIN). */
  restart(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** The built pages (npm test builds them first); browser tests serve them. */
export const BUILT_PAGES = path.resolve(import.meta.dirname, '../../dist/renderer');

/**
 * `staticDir`: serve the pages built there instead (a test that deploys a new version).
 * `https`: also serve HTTPS (a local CA made in the site's data folder), covering these extra names;
 * off by default, as most tests need only the loopback HTTP port. `env`: more settings (SITE_TZ, NATQ_DEMO …).
 */
export async function startSite(
  backend: Backend,
  opts: {
    pages?: boolean;
    staticDir?: string;
    logger?: Logger;
    timeouts?: HttpTimeouts;
    https?: { hosts?: string[] };
    env?: Record<string, string>;
  } = {},
): Promise<TestSite> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `natq-${process.pid}-${counter++}-`));
  const pgDb = backend === 'sqlite' ? null : await freshPostgresDatabase();
  const stream = backend === 'postgres+redis' ? freshRedisStream() : null;
  const env: Record<string, string> = {
    ...nodeEnv(dataDir),
    ...(pgDb ? { DATABASE_URL: pgDb.url, NATQ_SECRET: SECRET } : {}),
    ...(stream ? { REDIS_URL, REDIS_STREAM: stream.name } : {}),
    ...(opts.https ? { TLS_HOSTS: (opts.https.hosts ?? []).join(',') } : {}),
    ...opts.env,
  };
  const sockets: Client[] = [];
  const launchNode = (port = 0, httpsPort = 0) =>
    startServer(loadConfig({ ...env, PORT: String(port), HTTPS_PORT: opts.https ? String(httpsPort) : 'off' }), {
      staticDir: opts.staticDir ?? (opts.pages ? BUILT_PAGES : path.join(dataDir, 'no-pages')),
      logger: opts.logger,
      timeouts: opts.timeouts,
    });
  // Nodes start one after the other, as an operator brings them up: the first migrates the database.
  const launch = async () => {
    const nodes = [await launchNode()];
    if (stream) nodes.push(await launchNode());
    return nodes;
  };
  let turn = 0;
  const site: TestSite = {
    backend,
    servers: await launch(),
    get server() {
      return site.servers[0];
    },
    get url() {
      return site.server.url;
    },
    async token(role, node = 0) {
      const res = await fetch(site.servers[node].url + API.login, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, pin: role === 'display' ? '0000' : PINS[role] }),
      });
      if (!res.ok) throw new Error(`login as ${role} failed: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
    async connect(role, device, node = turn++ % site.servers.length) {
      const auth = role === 'display' ? {} : { token: await site.token(role, node), device };
      const socket: Client = io(site.servers[node].url, { auth, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      const listener: Listener = {
        socket,
        snapshots: [],
        changes: [],
        untilVersion: (v) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no change with version ${v} arrived`)), 10_000);
            const check = () => {
              if (listener.changes.some((c) => c.version >= v)) {
                clearTimeout(timer);
                socket.off('change', check);
                resolve();
              }
            };
            socket.on('change', check);
            check();
          }),
      };
      socket.on('change', (c) => listener.changes.push(c));
      await new Promise<void>((resolve, reject) => {
        socket.once('snapshot', (s) => {
          listener.snapshots.push(s);
          socket.on('snapshot', (later) => listener.snapshots.push(later));
          resolve();
        });
        socket.once('connect_error', reject);
      });
      return listener;
    },
    async importRoster(body, filename = 'roster.csv', role = 'staff', key) {
      const res = await fetch(`${site.url}${API.rosterImport}?filename=${encodeURIComponent(filename)}${key ? `&key=${key}` : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${await site.token(role)}` },
        body: new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body),
      });
      return { status: res.status, body: await res.json() };
    },
    async codes(building) {
      const res = await fetch(`${site.url}${API.householdCodes}?building=${encodeURIComponent(building)}`, {
        headers: { authorization: `Bearer ${await site.token('staff')}` },
      });
      if (!res.ok) throw new Error(`codes failed: ${res.status}`);
      return (await res.json()) as HouseholdCodes[];
    },
    async codesByName(...buildings) {
      const byName = new Map<string, string>();
      for (const b of buildings) for (const h of await site.codes(b)) for (const m of h.members) byName.set(m.name, m.code);
      return byName;
    },
    async restart(changes = {}) {
      Object.assign(env, changes);
      for (const s of sockets.splice(0)) s.close();
      for (const node of site.servers) await node.close();
      site.servers = await launch();
    },
    async stop() {
      for (const node of site.servers) await node.close();
    },
    async start() {
      const ports = site.servers.map((node) => [node.port, node.https?.port ?? 0] as const);
      site.servers = [];
      for (const [port, httpsPort] of ports) site.servers.push(await launchNode(port, httpsPort));
    },
    async close() {
      for (const s of sockets.splice(0)) s.close();
      for (const node of site.servers) await node.close();
      await pgDb?.drop();
      await stream?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return site;
}

let keySeq = 0;

/**
 * The settings of a test's node on its own data folder: any port on loopback, the test PINs, silent logs
 * (TEST_LOG=info shows them); `extra` adds or overrides.
 */
export function nodeEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG ?? 'silent',
    KIOSK_PIN: PINS.kiosk,
    VOLUNTEER_PIN: PINS.volunteer,
    STAFF_PIN: PINS.staff,
    ...extra,
  };
}

/**
 * A node on a data folder of the test's own, as `npm start` would run it there (the test PINs, no pages,
 * silent logs; env adds or overrides settings). The caller closes it.
 */
export function startOnDataDir(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  return startServer(loadConfig(nodeEnv(dataDir, env)), { staticDir: path.join(dataDir, 'no-pages') });
}

/** A fresh idempotency key, as a kiosk would make one per action. */
export function newKey(): string {
  return `test-${process.pid}-${Date.now()}-${keySeq++}`;
}
