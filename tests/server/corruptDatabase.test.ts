// A database file damaged in the middle (a bad disk sector, a copy cut short and patched) must not
// start and look healthy while every snapshot fails: the start refuses it, naming the file. And a
// server whose store stops answering says so on /api/health, so a kiosk or load balancer stops
// sending people to it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import type { Connection } from '../../server/db/connect';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API } from '../../shared/api';
import { BACKENDS, PG_ADMIN_URL } from '../support/backends';
import { PINS, startOnDataDir, startSite, type TestSite } from '../support/testServer';
import { residents } from './helpers';

const PAGE = 4096;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(dataDir: string): Promise<RunningServer> {
  const server = await startOnDataDir(dataDir);
  cleanups.push(() => server.close());
  return server;
}

/** A data folder whose database holds a roster of 2,000 residents, the server stopped. */
async function dataDirWithRoster(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-corrupt-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const server = await start(dataDir);
  const login = await fetch(server.url + API.login, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'staff', pin: PINS.staff }),
  });
  const { token } = (await login.json()) as { token: string };
  const imported = await fetch(`${server.url}${API.rosterImport}?filename=roster.csv`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
    body: new Uint8Array(Buffer.from(rosterCsv(residents(0, 2000)))),
  });
  expect(imported.status).toBe(200);
  cleanups.pop();
  await server.close();
  // A clean close folded the write-ahead log into the file: the rows are all in it.
  expect(fs.existsSync(path.join(dataDir, 'nat-queue.sqlite-wal'))).toBe(false);
  return dataDir;
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('a damaged database file', () => {
  it('is refused at the start with a message naming it, and left as it was', async () => {
    const dataDir = await dataDirWithRoster();
    const file = path.join(dataDir, 'nat-queue.sqlite');
    const pages = Math.floor(fs.statSync(file).size / PAGE);
    expect(pages).toBeGreaterThan(50);
    // One page in the middle overwritten with garbage, as a bad sector would leave it.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(PAGE, 0xa5), 0, PAGE, Math.floor(pages / 2) * PAGE);
    fs.closeSync(fd);
    const damaged = sha(file);

    const err = await start(dataDir).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(.+\\): the server did not start and wrote nothing to it\\. Restore it from your backup`,
      ),
    );
    expect(sha(file)).toBe(damaged);
    // Refused, not locked out: with the file moved away, the folder starts again (on an empty database).
    fs.renameSync(file, `${file}.damaged`);
    await start(dataDir);
  }, 60_000);

  it('an undamaged one with its roster starts', async () => {
    const dataDir = await dataDirWithRoster();
    const server = await start(dataDir);
    expect((await fetch(server.url + API.health)).status).toBe(200);
  }, 60_000);
});

describe('/api/health', () => {
  let site: TestSite | undefined;
  afterEach(async () => {
    await site?.close();
    site = undefined;
  });

  const health = async () => {
    const res = await fetch(site!.url + API.health);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('fails with a code once the store cannot answer a read (SQLite)', async () => {
    site = await startSite('sqlite');
    expect(await health()).toEqual({ status: 200, body: { ok: true, dialect: 'sqlite' } });
    // The database connection is gone under the running server.
    await site.server.store.close();
    expect(await health()).toEqual({
      status: 500,
      body: { error: { code: 'internal', reason: 'server.database-unreadable', params: {} } },
    });
  });

  it.runIf(BACKENDS.includes('postgres'))('fails with a code while PostgreSQL refuses connections, and recovers after', async () => {
    site = await startSite('postgres');
    expect(await health()).toEqual({ status: 200, body: { ok: true, dialect: 'postgres' } });
    const { db } = (site.server.store as unknown as { conn: Connection }).conn;
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`alter database ${rows[0].name} allow_connections false`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [rows[0].name]);
      await expect.poll(async () => (await health()).status).toBe(500);
      expect((await health()).body).toMatchObject({ error: { code: 'internal' } });
      await admin.query(`alter database ${rows[0].name} allow_connections true`);
      await expect.poll(async () => (await health()).status).toBe(200);
    } finally {
      await admin.end();
    }
  });
});
