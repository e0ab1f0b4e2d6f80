import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { API, type HouseholdCodes, type ImportReport } from '../../shared/api';
import type { Change, ClientToServerEvents, ServerToClientEvents, Snapshot } from '../../shared/protocol';
import type { Role } from '../../shared/roles';
import { freshPostgresDatabase, type Backend } from './backends';

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
  server: RunningServer;
  url: string;
  token(role: Role): Promise<string>;
  connect(role: Role, device?: string): Promise<Listener>;
  importRoster(body: Buffer | string, filename?: string, role?: Role): Promise<{ status: number; body: ImportReport & { error?: { message: string } } }>;
  codes(building: string): Promise<HouseholdCodes[]>;
  /** Stops the server and starts a new one on the same data. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** The built pages (npm test builds them first); browser tests serve them. */
export const BUILT_PAGES = path.resolve(import.meta.dirname, '../../dist/renderer');

export async function startSite(backend: Backend, opts: { pages?: boolean } = {}): Promise<TestSite> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `natq-${process.pid}-${counter++}-`));
  const pgDb = backend === 'postgres' ? await freshPostgresDatabase() : null;
  const env = {
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent',
    KIOSK_PIN: PINS.kiosk, VOLUNTEER_PIN: PINS.volunteer, STAFF_PIN: PINS.staff,
    ...(pgDb ? { DATABASE_URL: pgDb.url, NATQ_SECRET: SECRET } : {}),
  };
  const sockets: Client[] = [];
  const launch = () => startServer(loadConfig(env), { staticDir: opts.pages ? BUILT_PAGES : path.join(dataDir, 'no-pages') });
  const site: TestSite = {
    backend,
    server: await launch(),
    get url() {
      return site.server.url;
    },
    async token(role) {
      const res = await fetch(site.url + API.login, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, pin: role === 'display' ? '0000' : PINS[role] }),
      });
      if (!res.ok) throw new Error(`login as ${role} failed: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
    async connect(role, device) {
      const auth = role === 'display' ? {} : { token: await site.token(role), device };
      const socket: Client = io(site.url, { auth, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      const listener: Listener = {
        socket, snapshots: [], changes: [],
        untilVersion: (v) => new Promise((resolve, reject) => {
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
    async importRoster(body, filename = 'roster.csv', role = 'staff') {
      const res = await fetch(`${site.url}${API.rosterImport}?filename=${encodeURIComponent(filename)}`, {
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
    async restart() {
      for (const s of sockets.splice(0)) s.close();
      await site.server.close();
      site.server = await launch();
    },
    async close() {
      for (const s of sockets.splice(0)) s.close();
      await site.server.close();
      await pgDb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return site;
}

let keySeq = 0;
/** A fresh idempotency key, as a kiosk would make one per action. */
export function newKey(): string {
  return `test-${process.pid}-${Date.now()}-${keySeq++}`;
}
