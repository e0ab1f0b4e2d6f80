// A district's first roster import on SQLite writes its people into a table of its own with no index as
// they are checked, then builds the roster's indexes on it by sorting and puts it in the roster's place. Kept up
// to date row by row, the two random keys' indexes (ID hash, uid) were rewritten at every step's
// commit: a million people took 62.6 s so, against 27.6 s unindexed and 4.6 s to build the indexes
// (2026-12-01, a throwaway program on this table). PostgreSQL does not stage.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ResidentRow } from './rows';

export const STAGED = 'residents_staged';

/** The roster's definition, as SQLite keeps it. */
async function schemaOf(tx: Kysely<Database>, type: 'table' | 'index'): Promise<string[]> {
  const { rows } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master
    WHERE type = ${type} AND tbl_name = 'residents' AND sql IS NOT NULL ORDER BY name`.execute(tx);
  return rows.map((r) => r.sql);
}

/** Below this many people on the roster an import stages (beside more, copying them would cost more than it saves). */
export const STAGE_BELOW = 20_000;

/**
 * Starts the staging table for an import of at most `most` people when the roster holds fewer than
 * STAGE_BELOW (a district's first import) and no other import stages: the roster's columns, no index.
 * The ids the staged people will have are set aside: the roster's own (a walk-in's meanwhile) go on
 * after them, so the two never meet. Returns whether it staged.
 */
export async function beginStaging(tx: Kysely<Database>, most: number): Promise<boolean> {
  const { rows } = await sql<{ staging: number; roster: number }>`SELECT
    (SELECT count(*) FROM sqlite_master WHERE name = ${STAGED}) AS staging,
    (SELECT count(*) FROM (SELECT 1 FROM residents LIMIT ${STAGE_BELOW})) AS roster`.execute(tx);
  if (rows[0].staging > 0 || rows[0].roster >= STAGE_BELOW) return false;
  const [table] = await schemaOf(tx, 'table');
  await sql.raw(table.replace('"residents"', `"${STAGED}"`)).execute(tx);
  await sql`INSERT INTO sqlite_sequence (name, seq) SELECT ${STAGED}, coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'residents'`.execute(
    tx,
  );
  await sql`DELETE FROM sqlite_sequence WHERE name = 'residents'`.execute(tx);
  await sql`INSERT INTO sqlite_sequence (name, seq) SELECT 'residents', seq + ${most} FROM sqlite_sequence WHERE name = ${STAGED}`.execute(
    tx,
  );
  return true;
}

/** The staged people who are on the roster already (by ID hash): they are merged into their rows. */
export async function knownStaged(tx: Kysely<Database>): Promise<ResidentRow[]> {
  const { rows } = await sql<ResidentRow>`SELECT * FROM ${sql.table(STAGED)}
    WHERE id_hash IN (SELECT id_hash FROM residents) ORDER BY id`.execute(tx);
  return rows;
}

/**
 * Puts the staged people, less `merged` (their ids: merged into the roster's rows), in the roster's place
 * with the roster's people (their ids kept, so every member, visit and retest still points at them) and
 * the roster's indexes, built here by sorting: the one long step of a first import (a million people:
 * some 5 s, 2026-12-01). The indexes take the names of the roster's, which go with it. To be run with
 * foreign keys checked at commit: the roster is dropped while others point at it.
 */
export async function swapInStaged(tx: Kysely<Database>, merged: number[]): Promise<void> {
  const indexes = await schemaOf(tx, 'index');
  if (merged.length)
    await sql`DELETE FROM ${sql.table(STAGED)} WHERE id IN (SELECT value FROM json_each(${JSON.stringify(merged)}))`.execute(tx);
  await sql.raw(`INSERT INTO "${STAGED}" SELECT * FROM residents`).execute(tx);
  // No id once given is given again: the mark goes on from the higher of the two.
  await sql`UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'residents')) WHERE name = ${STAGED}`.execute(
    tx,
  );
  await sql`DROP TABLE residents`.execute(tx);
  for (const ddl of indexes) {
    const onStaged = ddl.replace(/ on "residents" /i, ` on "${STAGED}" `);
    if (onStaged === ddl) throw new Error(`an index of residents not written as expected: ${ddl}`);
    await sql.raw(onStaged).execute(tx);
  }
  // SQLite renames the indexes' table and the sequence's row with it.
  await sql.raw(`ALTER TABLE "${STAGED}" RENAME TO "residents"`).execute(tx);
}

export async function dropStaged(tx: Kysely<Database>): Promise<void> {
  await sql.raw(`DROP TABLE IF EXISTS "${STAGED}"`).execute(tx);
}
