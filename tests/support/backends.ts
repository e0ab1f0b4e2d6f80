import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { connect, type Connection, type Dialect } from '../../server/db/connect';

// The same suites run on the embedded SQLite store, on PostgreSQL, and on two nodes sharing
// PostgreSQL and Redis (scale-out). Both are required in CI (CI=true): if one is unreachable the
// suite fails loudly instead of skipping.
export type Backend = 'sqlite' | 'postgres' | 'postgres+redis';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required in CI but unreachable at ${PG_ADMIN_URL}: ${String(err)}`);
    console.warn(`PostgreSQL unreachable (${String(err)}): PostgreSQL suites are not run. CI=true makes this an error.`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`Redis is required in CI but unreachable at ${REDIS_URL}: ${String(err)}`);
    console.warn(`Redis unreachable (${String(err)}): two-node suites are not run. CI=true makes this an error.`);
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

const withPostgres = await postgresReachable();
export const BACKENDS: Backend[] = [
  'sqlite',
  ...(withPostgres ? (['postgres'] as const) : []),
  ...(withPostgres && (await redisReachable()) ? (['postgres+redis'] as const) : []),
];

/** The databases under those backends: the store's two implementations, for suites that use the store directly. */
export const DATABASES: Dialect[] = [...new Set(BACKENDS.map((b) => (b === 'sqlite' ? 'sqlite' : 'postgres') as Dialect))];

/** A fresh, migrated database of one kind (SQLite in a temporary folder, or a new PostgreSQL database); `drop` closes and removes it. */
export async function freshConnection(database: Dialect): Promise<{ conn: Connection; drop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-db-'));
  const pg = database === 'postgres' ? await freshPostgresDatabase() : null;
  const conn = await connect({ databaseUrl: pg?.url ?? null, dataDir });
  return {
    conn,
    async drop() {
      await conn.db.destroy();
      await pg?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Redis stream of its own for one test site's nodes, so parallel suites do not hear each other; deleted by the returned function. */
export function freshRedisStream(): { name: string; drop: () => Promise<void> } {
  const name = `natq_test_${crypto.randomBytes(6).toString('hex')}`;
  return {
    name,
    async drop() {
      const client = createClient({ url: REDIS_URL });
      await client.connect();
      await client.del(name);
      await client.close();
    },
  };
}

/** A fresh, empty PostgreSQL database for one test server; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `natq_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
