// A district's first roster import on SQLite writes its people into a table of its own with no index as
// they are checked, then builds the roster's indexes on it by sorting and puts it in the roster's place. Kept up
// to date row by row, the two random keys' indexes (ID hash, uid) were rewritten at every step's
// commit: a million people took 62.6 s so, against 27.6 s unindexed and 4.6 s to build the indexes
// (2026-12-01, a throwaway program on this table). PostgreSQL does not stage.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ResidentRow } from './rows';

export const STAGED = 'residents_staged';

/** The definitions SQLite keeps of a table's indexes (`table`) or of the table itself. */
async function schemaOf(tx: Kysely<Database>, type: 'table' | 'index', table: string): Promise<{ name: string; sql: string }[]> {
  const { rows } = await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master
    WHERE type = ${type} AND tbl_name = ${table} AND sql IS NOT NULL ORDER BY name`.execute(tx);
  return rows;
}

/** An index's definition on the other table, the same name kept. */
function onTable(ddl: string, from: string, to: string): string {
  const moved = ddl.replace(` on "${from}" `, ` on "${to}" `);
  if (moved === ddl) throw new Error(`an index of ${from} not written as expected: ${ddl}`);
  return moved;
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
  const [table] = await schemaOf(tx, 'table', 'residents');
  await sql.raw(table.sql.replace('"residents"', `"${STAGED}"`)).execute(tx);
  await sql`INSERT INTO sqlite_sequence (name, seq) SELECT ${STAGED}, coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'residents'`.execute(
    tx,
  );
  await sql`DELETE FROM sqlite_sequence WHERE name = 'residents'`.execute(tx);
  await sql`INSERT INTO sqlite_sequence (name, seq) SELECT 'residents', seq + ${most} FROM sqlite_sequence WHERE name = ${STAGED}`.execute(
    tx,
  );
  return true;
}

/** The roster's indexes yet to move to the staging table, by name. */
export async function rosterIndexes(tx: Kysely<Database>): Promise<string[]> {
  return (await schemaOf(tx, 'index', 'residents')).map((i) => i.name);
}

/**
 * Moves one of the roster's indexes, its name kept, to the staging table, built there by sorting: a step
 * each, so a scan waits for one index's build at most (a million people's ID hashes: about 1.5 s,
 * 2026-12-01), where all four in the swap's step kept scans waiting 4-7 s. Meanwhile the roster (under
 * STAGE_BELOW people) is read without it, and its keys stay one a person: every write that adds someone
 * looks them up first, in SQLite's one writer.
 */
export async function moveIndexToStaged(tx: Kysely<Database>, name: string): Promise<void> {
  const index = (await schemaOf(tx, 'index', 'residents')).find((i) => i.name === name);
  if (!index) throw new Error(`the roster has no index ${name}`);
  await sql.raw(`DROP INDEX "${name}"`).execute(tx);
  await sql.raw(onTable(index.sql, 'residents', STAGED)).execute(tx);
}

/** The staged people who are on the roster already (by ID hash): they are merged into their rows. */
export async function knownStaged(tx: Kysely<Database>): Promise<ResidentRow[]> {
  const { rows } = await sql<ResidentRow>`SELECT * FROM ${sql.table(STAGED)}
    WHERE id_hash IN (SELECT id_hash FROM residents) ORDER BY id`.execute(tx);
  return rows;
}

/**
 * Puts the staged people, less `merged` (their ids: merged into the roster's rows), in the roster's place
 * with the roster's people, their ids kept, so every member, visit and retest still points at them. The
 * indexes have moved already (moveIndexToStaged). To be run with foreign keys checked at commit: the
 * roster is dropped while others point at it.
 */
export async function swapInStaged(tx: Kysely<Database>, merged: number[]): Promise<void> {
  if ((await rosterIndexes(tx)).length) throw new Error('the roster still has indexes to move before the swap');
  if (merged.length)
    await sql`DELETE FROM ${sql.table(STAGED)} WHERE id IN (SELECT value FROM json_each(${JSON.stringify(merged)}))`.execute(tx);
  await sql.raw(`INSERT INTO "${STAGED}" SELECT * FROM residents`).execute(tx);
  // No id once given is given again: the mark goes on from the higher of the two.
  await sql`UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'residents')) WHERE name = ${STAGED}`.execute(
    tx,
  );
  await sql`DROP TABLE residents`.execute(tx);
  // SQLite renames the indexes' table and the sequence's row with it.
  await sql.raw(`ALTER TABLE "${STAGED}" RENAME TO "residents"`).execute(tx);
}

/** Ends a staging that will not be swapped in (a refused or failed import, a crash): the roster gets back the indexes it lent. */
export async function abandonStaging(tx: Kysely<Database>): Promise<void> {
  const lent = await schemaOf(tx, 'index', STAGED);
  await sql.raw(`DROP TABLE IF EXISTS "${STAGED}"`).execute(tx);
  for (const index of lent) await sql.raw(onTable(index.sql, STAGED, 'residents')).execute(tx);
}
