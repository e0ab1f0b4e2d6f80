import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database, Db } from './schema';
import { migrateToLatest } from './migrations';

export type Dialect = 'sqlite' | 'postgres';

export interface Connection {
  db: Db;
  dialect: Dialect;
}

// PostgreSQL returns bigint (COUNT, counters) as text by default; our numbers fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Prepared statements kept: at most this many, and this much SQL text (a bulk insert's text is long, and its statement megabytes). */
const STATEMENT_CACHE = { count: 500, textLength: 1 << 20 };

/**
 * better-sqlite3 behind Kysely, preparing each distinct SQL text once: Kysely prepares every query
 * afresh, which cost more CPU than running it. Statements are not re-entrant only while iterated
 * (streamed results), which this server never does.
 */
function withStatementCache(file: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  let textLength = 0;
  return {
    close: () => file.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        // Past a bound (only ad-hoc SQL such as long IN lists gets there) start afresh.
        if (cache.size >= STATEMENT_CACHE.count || textLength + sql.length > STATEMENT_CACHE.textLength) {
          cache.clear();
          textLength = 0;
        }
        statement = file.prepare(sql);
        cache.set(sql, statement);
        textLength += sql.length;
      }
      return statement;
    },
  };
}

/** Opens (and migrates) PostgreSQL when a URL is given, else SQLite in the data folder. */
export async function connect(
  opts: { databaseUrl: string | null; dataDir: string },
  onConnectionLost: (err: Error) => void = () => {},
): Promise<Connection> {
  let conn: Connection;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection closed by the server (restart, failover, pg_terminate_backend) is reported
    // here. Without a listener Node treats it as an uncaught error and the whole node exits; with one,
    // the pool drops that connection and opens a new one for the next query.
    pool.on('error', onConnectionLost);
    conn = { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  } else {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const file = new SQLite(path.join(opts.dataDir, 'nat-queue.sqlite'));
    // WAL for readers alongside the writer; FULL sync so an acknowledged write survives power loss.
    file.pragma('journal_mode = WAL');
    file.pragma('synchronous = FULL');
    file.pragma('foreign_keys = ON');
    file.pragma('busy_timeout = 5000');
    conn = { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) }), dialect: 'sqlite' };
  }
  await migrateToLatest(conn.db, conn.dialect);
  return conn;
}
