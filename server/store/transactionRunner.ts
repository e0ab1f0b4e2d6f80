import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';

/**
 * Runs `fn` in a transaction on one connection: begin, commit, or roll back on any error. Unlike
 * Kysely's own runner, a rollback that fails too never hides why the transaction failed: SQLite
 * ends a transaction itself on a full disk (SQLITE_FULL), so the rollback after it can only say
 * "cannot rollback - no transaction is active". The original error is thrown, the rollback's
 * failure noted on it (`rollbackError`) for the log.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  fn: (tx: Kysely<Database>) => Promise<T>,
  opts: { isolation?: 'repeatable read' } = {},
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await (opts.isolation ? sql.raw(`start transaction isolation level ${opts.isolation}`) : sql.raw('begin')).execute(conn);
    try {
      const result = await fn(conn);
      await sql.raw('commit').execute(conn);
      return result;
    } catch (err) {
      try {
        await sql.raw('rollback').execute(conn);
      } catch (rollbackErr) {
        if (err instanceof Error)
          Object.assign(err, { rollbackError: rollbackErr instanceof Error ? rollbackErr.message : String(rollbackErr) });
      }
      throw err;
    }
  });
}

const MAX_ATTEMPTS = 4;
/** Grouped writes in one transaction at most: bounds how long one commit keeps the others waiting. */
const MAX_GROUP = 100;

/** Errors that mean "another transaction got there first": the whole write is tried again. */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '23505' || code === '40001' || code === '40P01' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

interface GroupedWrite<S> {
  fn: (tx: S) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Runs a group's writes, each in a savepoint of its own: on failure only its own statements are undone
 * (and, after a lost race, tried again). On PostgreSQL one savepoint's release and the next one's start
 * go in one round trip, and the commit ends the last one.
 */
async function inSavepoints(tx: Kysely<Database>, dialect: Dialect, runs: (() => Promise<unknown>)[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let open = false;
  const start = async () => {
    if (!open) await sql`savepoint grouped_write`.execute(tx);
    else if (dialect === 'postgres') await sql.raw('release savepoint grouped_write; savepoint grouped_write').execute(tx);
    else {
      await sql`release savepoint grouped_write`.execute(tx);
      await sql`savepoint grouped_write`.execute(tx);
    }
    open = true;
  };
  for (const run of runs) {
    for (let attempt = 1; ; attempt++) {
      await start();
      try {
        outcomes.push({ ok: true, value: await run() });
        break;
      } catch (err) {
        // The savepoint stays open after the rollback: the next start releases it.
        await sql`rollback to savepoint grouped_write`.execute(tx);
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) {
          outcomes.push({ ok: false, err });
          break;
        }
      }
    }
  }
  return outcomes;
}

/**
 * The store's three kinds of transaction over one database: a write (tried again after a lost
 * race), a grouped write (group commit) and a consistent read. `open` wraps the transaction's
 * connection in what the callers see (the StoreTx), one per transaction.
 */
export class TransactionRunner<S> {
  private grouped: GroupedWrite<S>[] = [];
  private draining = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly open: (tx: Kysely<Database>) => S,
  ) {}

  async write<T>(fn: (tx: S) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.db, (tx) => fn(this.open(tx)));
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
      }
    }
  }

  writeGrouped<T>(fn: (tx: S) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.grouped.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // After the current I/O callbacks: every write that arrived with this one joins its group.
      setImmediate(() => void this.drainGrouped());
    });
  }

  /** One transaction per group of queued writes, until none is left; writes queued meanwhile form the next group. */
  private async drainGrouped(): Promise<void> {
    while (this.grouped.length > 0) {
      const group = this.grouped.splice(0, MAX_GROUP);
      if (group.length === 1) {
        // Alone: a plain transaction, without the savepoint's two extra statements.
        const [write] = group;
        await this.write(write.fn).then(write.resolve, write.reject);
        continue;
      }
      let outcomes: Outcome[] = [];
      try {
        await inTransaction(this.db, async (tx) => {
          const store = this.open(tx);
          outcomes = await inSavepoints(
            tx,
            this.dialect,
            group.map((write) => () => write.fn(store)),
          );
        });
      } catch (err) {
        // The commit (or the connection) failed: nothing of this group was written.
        for (const write of group) write.reject(err);
        continue;
      }
      group.forEach((write, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.err);
      });
    }
    this.draining = false;
  }

  async read<T>(fn: (tx: S) => Promise<T>): Promise<T> {
    // One snapshot for all the statements, so a version and the groups it describes agree.
    const isolation = this.dialect === 'postgres' ? ('repeatable read' as const) : undefined;
    return inTransaction(this.db, (tx) => fn(this.open(tx)), { isolation });
  }
}
