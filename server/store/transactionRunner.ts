import { sql, type Kysely } from 'kysely';
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
        if (err instanceof Error) Object.assign(err, { rollbackError: rollbackErr instanceof Error ? rollbackErr.message : String(rollbackErr) });
      }
      throw err;
    }
  });
}
