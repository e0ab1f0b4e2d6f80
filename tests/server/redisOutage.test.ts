// Redis goes down in the middle of a morning with two nodes. Each node keeps serving the clients
// connected to it (scans acked, its own displays updated, logins counted in memory), says so once,
// and relays changes to the other node again when Redis is back; a display that missed changes
// meanwhile sees the version gap and resyncs by snapshot.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { createLogger } from '../../server/log';
import { connectRedis } from '../../server/redis/redisClient';
import { API, type HouseholdCodes } from '../../shared/api';
import type { Role } from '../../shared/roles';
import { BACKENDS, freshPostgresDatabase } from '../support/backends';
import { ownRedis } from '../support/redisServer';
import { spawnNode, type ChildNode } from '../support/spawnNode';
import { PINS, type Client, type Listener } from '../support/testServer';
import { added, applyChanges, byId, heardVersion, residents, scan, sync } from './helpers';

const OUTAGE = 'Redis is unreachable';
const RECOVERY = 'Redis is reachable again';

/** Log lines of a process written after it started listening. */
function logLines(node: ChildNode): string[] {
  const lines: string[] = [];
  node.child.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  return lines;
}
const count = (lines: string[], text: string) => lines.filter((l) => l.includes(text)).length;

describe('Redis away for a while', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('logs the outage once and the recovery once, however many reconnection attempts fail', async () => {
    const redis = await ownRedis();
    cleanup.push(() => redis.stop());
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const { client, close } = await connectRedis(redis.url, logger);
    cleanup.push(close);
    let failures = 0;
    client.on('error', () => failures++);

    await redis.stop();
    await vi.waitFor(() => expect(failures).toBeGreaterThanOrEqual(4), { timeout: 15_000 });
    await redis.start();
    await vi.waitFor(() => expect(client.isReady).toBe(true), { timeout: 15_000 });
    expect(await client.ping()).toBe('PONG');
    expect(count(lines, OUTAGE)).toBe(1);
    expect(count(lines, RECOVERY)).toBe(1);
  }, 40_000);

  // Two nodes of their own (child processes: an unhandled error would end them) on PostgreSQL and this test's Redis.
  it.runIf(BACKENDS.includes('postgres'))(
    'keeps both nodes serving their own clients, then fans out across nodes again',
    async () => {
      const redis = await ownRedis();
      cleanup.push(() => redis.stop());
      const db = await freshPostgresDatabase();
      cleanup.push(() => db.drop());
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-outage-'));
      cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
      const env = {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        DATABASE_URL: db.url,
        NATQ_SECRET: 'test-secret-test-secret-test-secret-0123',
        REDIS_URL: redis.url,
        REDIS_STREAM: `natq_test_${crypto.randomBytes(6).toString('hex')}`,
        KIOSK_PIN: PINS.kiosk,
        VOLUNTEER_PIN: PINS.volunteer,
        STAFF_PIN: PINS.staff,
      };
      // One after the other, as an operator starts them: the first migrates the database.
      const nodes: ChildNode[] = [];
      for (let k = 0; k < 2; k++) {
        const node = await spawnNode('tests/support/childServer.ts', env);
        cleanup.push(() => node.stop());
        nodes.push(node);
      }
      const logs = nodes.map(logLines);
      const [n1, n2] = nodes.map((n) => n.url);

      const token = async (url: string, role: Role) => {
        const res = await fetch(url + API.login, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role, pin: PINS[role as keyof typeof PINS] }),
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { token: string }).token;
      };
      const people = residents(0, 6);
      const imported = await fetch(`${n1}${API.rosterImport}?filename=roster.csv`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${await token(n1, 'staff')}` },
        body: rosterCsv(people),
      });
      expect(imported.status).toBe(200);
      const households = (await (
        await fetch(`${n1}${API.householdCodes}?building=1`, { headers: { authorization: `Bearer ${await token(n1, 'staff')}` } })
      ).json()) as HouseholdCodes[];
      const codeOf = new Map(households.flatMap((h) => h.members.map((m) => [m.name, m.code])));
      const code = (k: number) => codeOf.get(people[k].name)!;

      /** A page on one node: its first snapshot, and every change pushed to it. */
      const open = async (url: string, role: Role, device?: string): Promise<Listener> => {
        const auth = role === 'display' ? {} : { token: await token(url, role), device };
        const socket: Client = io(url, { auth, transports: ['websocket'], reconnection: false });
        cleanup.push(() => socket.close());
        const page: Listener = {
          socket,
          snapshots: [],
          changes: [],
          untilVersion: (v) => vi.waitFor(() => expect(heardVersion(page)).toBeGreaterThanOrEqual(v), { timeout: 10_000 }),
        };
        socket.on('change', (c) => page.changes.push(c));
        await new Promise<void>((resolve) =>
          socket.once('snapshot', (snap) => {
            page.snapshots.push(snap);
            resolve();
          }),
        );
        return page;
      };
      /** A scan at a kiosk, acked as added; the version it made (read back through the same node). */
      const scanned = async (kiosk: Listener, k: number) => {
        added(await scan(kiosk, code(k)));
        return (await sync(kiosk)).version;
      };

      const kiosk1 = await open(n1, 'kiosk', 'kiosk-1');
      const kiosk2 = await open(n2, 'kiosk', 'kiosk-2');
      const display1 = await open(n1, 'display');
      const display2 = await open(n2, 'display');
      await display2.untilVersion(await scanned(kiosk1, 0));
      await display1.untilVersion(await scanned(kiosk2, 1));

      await redis.stop();
      await vi.waitFor(() => expect(logs.map((l) => count(l, OUTAGE))).toEqual([1, 1]), { timeout: 10_000 });

      // Each node still serves its own clients: scans acked, its own display updated, a new login let in.
      await display1.untilVersion(await scanned(kiosk1, 2));
      const kiosk3 = await open(n2, 'kiosk', 'kiosk-3');
      await display2.untilVersion(await scanned(kiosk3, 3));
      for (const node of nodes) expect([node.child.exitCode, node.child.signalCode]).toEqual([null, null]);

      await redis.start();
      await vi.waitFor(() => expect(logs.map((l) => count(l, RECOVERY))).toEqual([1, 1]), { timeout: 15_000 });

      // Fan-out across nodes again, both ways.
      await display2.untilVersion(await scanned(kiosk1, 4));
      await display1.untilVersion(await scanned(kiosk2, 5));
      // Each display missed the other node's scan during the outage: its changes show a gap, and a snapshot fills it.
      for (const display of [display1, display2]) {
        expect(() => applyChanges(display.snapshots[0], display.changes)).toThrow(/gap/);
        const resynced = await sync(display);
        expect(resynced.counts.registered).toBe(6);
        expect(applyChanges(resynced, display.changes).groups).toEqual(byId(resynced.groups));
      }
      expect(await sync(display1)).toEqual(await sync(display2));

      expect(logs.map((l) => count(l, OUTAGE))).toEqual([1, 1]);
      for (const node of nodes) expect([node.child.exitCode, node.child.signalCode]).toEqual([null, null]);
    },
    90_000,
  );
});
