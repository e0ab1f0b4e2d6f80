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
  opts: { isolation?: 'repeatable read' } & TxOptions = {},
): Promise<T> {
  return db.connection().execute(async (conn) => {
    // SQLite takes this pragma only outside a transaction; the connection is this write's until it ends.
    if (opts.keysAtCommit) await sql.raw('pragma foreign_keys = off').execute(conn);
    try {
      await (opts.isolation ? sql.raw(`start transaction isolation level ${opts.isolation}`) : sql.raw('begin')).execute(conn);
      try {
        const result = await fn(conn);
        if (opts.keysAtCommit) {
          const broken = (await sql.raw('pragma foreign_key_check').execute(conn)).rows;
          if (broken.length) throw new Error(`the write would break foreign keys: ${JSON.stringify(broken.slice(0, 3))}`);
        }
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
    } finally {
      if (opts.keysAtCommit) await sql.raw('pragma foreign_keys = on').execute(conn);
    }
  });
}

export interface TxOptions {
  /**
   * SQLite: foreign keys are checked once, before the commit, not at each statement; a write that
   * swaps a table others point at (residentStaging.ts) needs it. PostgreSQL never gets such a write.
   */
  keysAtCommit?: boolean;
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

/**
 * What the writes of one grouped transaction that name these hooks share, done once for them (the write
 * pipeline's look-up of their keys, one version and one change): `begin` before the first write with
 * their keys, `end` after the last with the values of those that succeeded, both inside the
 * transaction; `committed` gets what `end` gave once the commit is through, `abandoned` if it never is.
 */
export interface GroupHooks<S, T = unknown, R = unknown> {
  begin(tx: S, keys: string[]): Promise<void>;
  end(tx: S, values: T[]): Promise<R>;
  committed(shared: R): void;
  /** What `end` gave in an attempt that then rolled back (tried again, or failed). */
  abandoned(shared: R): void;
}

export interface GroupedOptions<S> {
  /**
   * Writes that lock the same rows (a sampling point's) go in the same lane; lanes commit side by
   * side on PostgreSQL, so one point's group never waits for another's. Writes without one share a lane.
   */
  lane?: string;
  hooks?: GroupHooks<S>;
  /** The write's idempotency key, handed to its hooks' `begin`. */
  key?: string | null;
}

interface GroupedWrite<S> {
  fn: (tx: S) => Promise<unknown>;
  hooks: GroupHooks<S> | undefined;
  key: string | null;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Lanes for the points' writes on PostgreSQL (each holds a connection while it commits); SQLite has one writer. */
const POINT_LANES = 4;

/** The lane for a key among `pointLanes` (after lane 0, the writes without one): the same key, the same lane. */
function laneOf(key: string | undefined, pointLanes: number): number {
  if (key === undefined || pointLanes === 0) return 0;
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return 1 + (Math.abs(h) % pointLanes);
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

/** Each distinct set of hooks of a group's writes, with the indexes of the writes that name it. */
function hooksOf<S>(group: GroupedWrite<S>[]): Map<GroupHooks<S>, number[]> {
  const hooks = new Map<GroupHooks<S>, number[]>();
  group.forEach((write, i) => {
    if (write.hooks) hooks.set(write.hooks, [...(hooks.get(write.hooks) ?? []), i]);
  });
  return hooks;
}

/**
 * The store's three kinds of transaction over one database: a write (tried again after a lost
 * race), a grouped write (group commit, in lanes) and a consistent read. `open` wraps the
 * transaction's connection in what the callers see (the StoreTx), one per transaction.
 */
export class TransactionRunner<S> {
  private readonly lanes: GroupedWrite<S>[][];
  private readonly draining: boolean[];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly open: (tx: Kysely<Database>) => S,
  ) {
    const count = 1 + (dialect === 'postgres' ? POINT_LANES : 0);
    this.lanes = Array.from({ length: count }, () => []);
    this.draining = this.lanes.map(() => false);
  }

  write<T>(fn: (tx: S) => Promise<T>, opts?: TxOptions): Promise<T> {
    return this.transaction((_conn, store) => fn(store), opts);
  }

  /** A write transaction with both the connection and what callers see; tried again after a lost race. */
  private async transaction<T>(fn: (conn: Kysely<Database>, store: S) => Promise<T>, opts?: TxOptions): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.db, (tx) => fn(tx, this.open(tx)), opts);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
      }
    }
  }

  writeGrouped<T>(fn: (tx: S) => Promise<T>, opts: GroupedOptions<S> = {}): Promise<T> {
    const lane = laneOf(opts.lane, this.lanes.length - 1);
    return new Promise<T>((resolve, reject) => {
      this.lanes[lane].push({ fn, hooks: opts.hooks, key: opts.key ?? null, resolve: resolve as (value: unknown) => void, reject });
      if (this.draining[lane]) return;
      this.draining[lane] = true;
      // After the current I/O callbacks: every write that arrived with this one joins its group.
      setImmediate(() => void this.drainLane(lane));
    });
  }

  /** One transaction per group of a lane's queued writes, until none is left; writes queued meanwhile form the next group. */
  private async drainLane(lane: number): Promise<void> {
    const queued = this.lanes[lane];
    while (queued.length > 0) {
      const group = queued.splice(0, MAX_GROUP);
      const hooks = hooksOf(group);
      let outcomes: Outcome[] = [];
      const shared = new Map<GroupHooks<S>, unknown>();
      const abandon = () => {
        for (const [h, result] of shared) h.abandoned(result);
        shared.clear();
      };
      try {
        // First without savepoints (a round trip a write saved): should a write fail, the group is rolled
        // back whole and run again with them, so that only the failed write is undone.
        try {
          outcomes = await this.commitGroup(group, hooks, shared, abandon, false);
        } catch (err) {
          if (group.length === 1) throw err;
          outcomes = await this.commitGroup(group, hooks, shared, abandon, true);
        }
      } catch (err) {
        // A write alone failed, or the group's end, commit or connection did: nothing of this group was written.
        abandon();
        for (const write of group) write.reject(err);
        continue;
      }
      for (const [h, result] of shared) h.committed(result);
      group.forEach((write, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.err);
      });
    }
    this.draining[lane] = false;
  }

  /**
   * One transaction for a group of writes and their hooks: each write in a savepoint of its own
   * (`guarded`), or all in the transaction itself, where one write's failure fails the attempt. Tried
   * again as a whole when it lost a race (another node's reply under the same key).
   */
  private async commitGroup(
    group: GroupedWrite<S>[],
    hooks: Map<GroupHooks<S>, number[]>,
    shared: Map<GroupHooks<S>, unknown>,
    abandon: () => void,
    guarded: boolean,
  ): Promise<Outcome[]> {
    let outcomes: Outcome[] = [];
    await this.transaction(async (conn, store) => {
      abandon(); // a previous attempt rolled back
      for (const [h, indexes] of hooks)
        await h.begin(
          store,
          indexes.flatMap((i) => group[i].key ?? []),
        );
      if (guarded)
        outcomes = await inSavepoints(
          conn,
          this.dialect,
          group.map((write) => () => write.fn(store)),
        );
      else {
        outcomes = [];
        for (const write of group) outcomes.push({ ok: true, value: await write.fn(store) });
      }
      for (const [h, indexes] of hooks) {
        const values = indexes.flatMap((i) => (outcomes[i].ok ? [(outcomes[i] as { value: unknown }).value] : []));
        if (values.length > 0) shared.set(h, await h.end(store, values));
      }
    });
    return outcomes;
  }

  async read<T>(fn: (tx: S) => Promise<T>): Promise<T> {
    // One snapshot for all the statements, so a version and the groups it describes agree.
    const isolation = this.dialect === 'postgres' ? ('repeatable read' as const) : undefined;
    return inTransaction(this.db, (tx) => fn(this.open(tx)), { isolation });
  }
}
