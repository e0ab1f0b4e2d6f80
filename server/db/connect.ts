import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { Dialect } from './dialect';
import type { Database, Db } from './schema';
import { migrateToLatest } from './migrations';
import { ensureDataDir } from '../dataDir/privateFiles';

// Connections' users name the dialect from here too.
export type { Dialect };

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

/** Distinct statements run as named ones, at most: past it (only ad-hoc SQL such as long IN lists) they run unnamed. */
const NAMED_STATEMENTS = { count: 1000, textLength: 4000 };

/**
 * node-postgres behind Kysely, running each parameterized statement as a named (server-side
 * prepared) one: PostgreSQL parses and plans it once per connection instead of on every run,
 * which is most of its work for the scan path's small statements.
 */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (!name && names.size < NAMED_STATEMENTS.count && sql.length <= NAMED_STATEMENTS.textLength) {
      name = `natq_${names.size}`;
      names.set(sql, name);
    }
    return name;
  };
  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      const query = (sql: string, values: readonly unknown[]) => {
        const name = values.length > 0 ? nameOf(sql) : undefined;
        return name ? client.query({ name, text: sql, values: [...values] }) : client.query(sql, [...values]);
      };
      // Kysely's second form of query (a cursor, for streamed results) is never used by this server.
      return { query, release: () => client.release() } as unknown as PostgresPoolClient;
    },
  };
}

const DAMAGED = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * Opens DATA_DIR/nat-queue.sqlite, readable by its owner only, and checks it before anything is
 * written to it: a file damaged mid-way would otherwise start, answer health checks and then fail
 * every read that reaches the damaged pages.
 */
function openSqlite(dataDir: string): SQLite.Database {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, 'nat-queue.sqlite');
  // SQLite gives its -wal and -shm files the database file's mode: creating it 600 makes all three private.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  const db = new SQLite(file);
  try {
    // First, before any pragma writes: quick_check reads every page (without integrity_check's slower index cross-checks).
    const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems[0] !== 'ok') throw new Error(problems.join('; ').replace(/\s+/g, ' '));
    // WAL for readers alongside the writer; FULL sync so an acknowledged write survives power loss.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // A checkpoint copies the WAL's pages back into the database and syncs it. SQLite's default, every
    // 1,000 pages (4 MiB), ran one in nearly every roster-import step (each writes thousands of index pages
    // scattered over a million people's indexes) and cost as much as the step's own writes: every 16,384
    // pages (64 MiB), the pages written again and again in between are copied once.
    db.pragma('wal_autocheckpoint = 16384');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code;
    if (code !== undefined && !DAMAGED.test(code)) throw err;
    throw new Error(
      `${file} is damaged (${(err as Error).message}): the server did not start and wrote nothing to it. ` +
        'Restore it from your backup (with its -wal file, if any), or move it away to start with an empty database.',
    );
  }
  return db;
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
    conn = { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) }), dialect: 'postgres' };
  } else {
    conn = {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(openSqlite(opts.dataDir)) }) }),
      dialect: 'sqlite',
    };
  }
  try {
    await migrateToLatest(conn.db, conn.dialect);
  } catch (err) {
    await conn.db.destroy();
    throw err;
  }
  return conn;
}
