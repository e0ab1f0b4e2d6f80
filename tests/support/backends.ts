import crypto from 'node:crypto';
import pg from 'pg';

// The same suites run on the embedded SQLite store and on PostgreSQL. PostgreSQL is required
// in CI (CI=true): if it is unreachable the suite fails loudly instead of skipping.
export type Backend = 'sqlite' | 'postgres';

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

export const BACKENDS: Backend[] = (await postgresReachable()) ? ['sqlite', 'postgres'] : ['sqlite'];

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
