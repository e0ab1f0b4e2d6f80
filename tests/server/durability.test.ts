// The power goes (kill -9) while kiosks are scanning. After the restart every scan a kiosk was told
// was recorded is there exactly once, no group holds more than its pool size, and the queue goes on.
// In scale-out one of two nodes dies: the other keeps serving throughout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API, type HouseholdCodes } from '../../shared/api';
import { BACKENDS, freshPostgresDatabase, freshRedisStream, REDIS_URL } from '../support/backends';
import { spawnNode, type ChildNode } from '../support/spawnNode';
import { newKey, nodeEnv, PINS, type Client } from '../support/testServer';
import { residents } from './helpers';
import type { Reply, ScanOutcome } from '../../shared/protocol';

type Added = Extract<ScanOutcome, { kind: 'added' }>;
const PEOPLE = residents(0, 300);
const KILL_AFTER_ACKS = 25;
/** Resident name → printed code, for the site under test. */
let codes = new Map<string, string>();

/** One community's servers in child processes, on SQLite or on PostgreSQL + Redis. */
async function community(scaleOut: boolean) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-durability-'));
  const db = scaleOut ? await freshPostgresDatabase() : null;
  const stream = scaleOut ? freshRedisStream() : null;
  const env = nodeEnv(
    dataDir,
    db && stream
      ? { DATABASE_URL: db.url, NATQ_SECRET: 'durability-secret-durability-secret-0123', REDIS_URL, REDIS_STREAM: stream.name }
      : {},
  );
  const start = () => spawnNode('tests/support/childServer.ts', env);
  const nodes: ChildNode[] = [await start()];
  if (scaleOut) nodes.push(await start());

  const query = async <T>(text: string): Promise<T[]> => {
    if (db) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(text)).rows as T[];
      } finally {
        await client.end();
      }
    }
    const file = new SQLite(path.join(dataDir, 'nat-queue.sqlite'), { readonly: true });
    try {
      return file.prepare(text).all() as T[];
    } finally {
      file.close();
    }
  };
  return {
    nodes,
    start,
    query,
    async close() {
      for (const n of nodes) await n.kill();
      await db?.drop();
      await stream?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function login(url: string, role: 'kiosk' | 'staff'): Promise<string> {
  const res = await fetch(url + API.login, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, pin: PINS[role] }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function kiosk(url: string, device: string): Promise<Client> {
  const socket: Client = io(url, { auth: { token: await login(url, 'kiosk'), device }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve, reject) => {
    socket.once('snapshot', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

async function codesOf(url: string): Promise<Map<string, string>> {
  const staff = await login(url, 'staff');
  const res = await fetch(url + API.rosterImport, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${staff}` },
    body: rosterCsv(PEOPLE),
  });
  expect(res.status).toBe(200);
  const households = (await (
    await fetch(`${url}${API.householdCodes}?building=1`, { headers: { authorization: `Bearer ${staff}` } })
  ).json()) as HouseholdCodes[];
  return new Map(households.flatMap((h) => h.members.map((m) => [m.name, m.code] as const)));
}

/** Kiosks scanning one person after another (about 10 a second each) until told to stop; every acknowledgement kept. */
function scanLoad(sockets: { socket: Client; node: number }[], queue: string[]) {
  const acked: (Added & { node: number; name: string })[] = [];
  let running = true;
  const done = Promise.all(
    sockets.map(async ({ socket, node }) => {
      while (running && queue.length > 0) {
        const name = queue.shift()!;
        const reply: Reply<ScanOutcome> | null = await socket
          .timeout(3000)
          .emitWithAck('scan', { key: newKey(), point: 'A', input: codes.get(name)! })
          .catch(() => null);
        if (reply?.ok && reply.value.kind === 'added') acked.push({ ...reply.value, node, name });
        if (!socket.connected) return;
        await new Promise((r) => setTimeout(r, 80));
      }
    }),
  );
  return {
    acked,
    stop: () => {
      running = false;
      return done;
    },
  };
}

/** What must hold after any crash: each acknowledged scan once, in its place; no group over size; numbering intact. */
async function expectNothingLost(site: Awaited<ReturnType<typeof community>>, acked: (Added & { name: string })[]) {
  const members = await site.query<{ name: string; group_id: number; position: number }>(
    `select r.name, m.group_id, m.position from members m join residents r on r.id = m.resident_id where m.status <> 'absent'`,
  );
  for (const a of acked) {
    const rows = members.filter((m) => m.name === a.name);
    expect(rows, `${a.name}, acknowledged at ${a.group.label} #${a.group.position}`).toEqual([
      { name: a.name, group_id: a.group.id, position: a.group.position },
    ]);
  }
  expect(new Set(members.map((m) => m.name)).size).toBe(members.length);
  const groups = await site.query<{ id: number; seq: number; pool_size: number }>('select id, seq, pool_size from groups order by seq');
  for (const g of groups) {
    const inGroup = members.filter((m) => Number(m.group_id) === Number(g.id));
    expect(inGroup.length).toBeLessThanOrEqual(g.pool_size);
    expect(new Set(inGroup.map((m) => m.position)).size).toBe(inGroup.length);
  }
  expect(groups.map((g) => Number(g.seq))).toEqual(groups.map((_, k) => k + 1));
  return groups.length;
}

/** The queue resumes: acknowledged people are duplicates, a new person is placed in the current or next group. */
async function expectQueueResumes(url: string, acked: { name: string }[], fresh: string, groupsBefore: number) {
  const k = await kiosk(url, 'kiosk-after');
  try {
    for (const a of acked.slice(0, 10)) {
      const again = await k.timeout(5000).emitWithAck('scan', { key: newKey(), point: 'A', input: codes.get(a.name)! });
      expect(again.ok && again.value.kind, a.name).toBe('duplicate');
    }
    const next = await k.timeout(5000).emitWithAck('scan', { key: newKey(), point: 'A', input: codes.get(fresh)! });
    if (!next.ok || next.value.kind !== 'added') throw new Error(`expected "added", got ${JSON.stringify(next)}`);
    expect(Number(next.value.group.label.split('-')[1])).toBeGreaterThanOrEqual(groupsBefore);
    expect(Number(next.value.group.label.split('-')[1])).toBeLessThanOrEqual(groupsBefore + 1);
  } finally {
    k.close();
  }
}

describe('durability under kill -9', () => {
  let site: Awaited<ReturnType<typeof community>> | undefined;
  afterEach(async () => {
    await site?.close();
    site = undefined;
  });

  it('SQLite: after kill -9 mid-load every acknowledged scan is there exactly once and the queue resumes', async () => {
    site = await community(false);
    codes = await codesOf(site.nodes[0].url);
    const sockets = await Promise.all([1, 2, 3, 4].map(async (n) => ({ socket: await kiosk(site!.nodes[0].url, `kiosk-${n}`), node: 0 })));
    const queue = PEOPLE.map((p) => p.name);
    const load = scanLoad(sockets, queue);
    await vi.waitFor(() => expect(load.acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS), { timeout: 30_000, interval: 5 });
    await site.nodes[0].kill();
    await load.stop();
    for (const s of sockets) s.socket.close();
    expect(load.acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    site.nodes[0] = await site.start();
    const groups = await expectNothingLost(site, load.acked);
    await expectQueueResumes(site.nodes[0].url, load.acked, queue[queue.length - 1], groups);
  }, 120_000);

  it.runIf(BACKENDS.includes('postgres+redis'))(
    'two nodes on PostgreSQL + Redis: one killed mid-load, the other keeps serving, nothing lost after its restart',
    async () => {
      site = await community(true);
      codes = await codesOf(site.nodes[0].url);
      const sockets = await Promise.all(
        [0, 1, 0, 1].map(async (node, n) => ({ socket: await kiosk(site!.nodes[node].url, `kiosk-${n}`), node })),
      );
      const queue = PEOPLE.map((p) => p.name);
      const load = scanLoad(sockets, queue);
      await vi.waitFor(() => expect(load.acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS), { timeout: 30_000, interval: 5 });
      await site.nodes[0].kill();
      const atKill = load.acked.length;
      // Node 2 keeps serving its kiosks while node 1 is down.
      const node2AtKill = load.acked.filter((a, k) => a.node === 1 && k < atKill).length;
      await vi.waitFor(() => expect(load.acked.filter((a) => a.node === 1).length).toBeGreaterThanOrEqual(node2AtKill + 10), {
        timeout: 30_000,
        interval: 20,
      });
      await load.stop();
      for (const s of sockets) s.socket.close();

      site.nodes[0] = await site.start();
      const groups = await expectNothingLost(site, load.acked);
      await expectQueueResumes(site.nodes[0].url, load.acked, queue[queue.length - 1], groups);
    },
    120_000,
  );
});
