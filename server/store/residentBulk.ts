// Residents read and written in bulk, for the roster import (16,000 people a step).
// The SQL is written here once per statement shape and the values go to the driver as they are: Kysely's
// builder would turn every one of the 1.4 million values into a node tree to compile back to the same text.
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { nameInitials } from '../../shared/residentSearch';
import type { NewResident, ResidentRow } from './rows';
import type { STAGED } from './residentStaging';

type InsertRow = NewResident & { name_initials: string };

/** A column's value for a new resident; the search initials are derived from the name, as the store does on every write. */
function valueOf(r: NewResident, column: keyof InsertRow): string | null {
  return column === 'name_initials' ? nameInitials(r.name) : r[column];
}

// Every column of a new resident, once: adding a column to the table fails to compile here until it is listed.
const COLUMN_LIST: Record<keyof InsertRow, true> = {
  uid: true,
  name: true,
  name_initials: true,
  id_type: true,
  id_hash: true,
  id_masked: true,
  id_enc: true,
  phone_enc: true,
  nationality: true,
  id_note: true,
  building: true,
  unit: true,
  room: true,
  household: true,
  tags: true,
  created_at: true,
  updated_at: true,
};
const COLUMNS = Object.keys(COLUMN_LIST) as (keyof InsertRow)[];

// SQLite binds at most 32,766 values a statement: 17 columns × 1,900 rows stays under. Statements come in
// these few sizes only: the driver keeps each distinct SQL text prepared, and one of 2,000 rows holds megabytes.
const SQLITE_ROWS = [1900, 100, 1];
// PostgreSQL takes one array a column whatever the row count; the chunk bounds the size of one message.
const POSTGRES_ROWS = 5000;

const POSTGRES_INSERT = `insert into residents (${COLUMNS.map((c) => `"${c}"`).join(', ')})
  select ${COLUMNS.map((_, i) => `r.v->>${i}`).join(', ')} from jsonb_array_elements($1::jsonb) with ordinality as r(v, n) order by r.n`;

// OR FAIL, not the default OR ABORT: a statement that may abort part-way through many rows makes SQLite copy
// every page it first touches to a statement journal (a temporary file) so it can undo that statement alone;
// that copying was a third of the inserts' cost (a million people). A failing statement fails the step, whose
// transaction is rolled back whole (and, after a lost race, tried again), so nothing it wrote stays either way.
const SQLITE_INSERT = new Map<string, string>();
function sqliteInsert(table: string, rows: number): string {
  const key = `${table}:${rows}`;
  let text = SQLITE_INSERT.get(key);
  if (!text) {
    const row = `(${COLUMNS.map(() => '?').join(', ')})`;
    text = `insert or fail into "${table}" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) values ${new Array(rows).fill(row).join(', ')}`;
    SQLITE_INSERT.set(key, text);
  }
  return text;
}

/**
 * Inserts the rows in their order (so ids follow the roster's order), a chunk a statement, into the roster
 * or (a first import on SQLite, residentStaging.ts) its staging table.
 */
export async function insertResidentRows(
  tx: Kysely<Database>,
  dialect: Dialect,
  rows: readonly NewResident[],
  table: 'residents' | typeof STAGED = 'residents',
): Promise<void> {
  if (dialect === 'postgres' && table !== 'residents') throw new Error('only SQLite stages an import');
  for (let i = 0; i < rows.length;) {
    const chunk = dialect === 'postgres' ? POSTGRES_ROWS : SQLITE_ROWS.find((n) => n <= rows.length - i)!;
    const part = rows.slice(i, i + chunk);
    i += part.length;
    if (dialect === 'postgres') {
      // The chunk as one JSON array of rows (each an array of the columns' values), read back in its order:
      // JSON.stringify is native, where node-postgres escaped every element of a text[] a column in
      // JavaScript (half the node's CPU for the chunk, 2026-12-01), and PostgreSQL parses JSON faster too.
      const json = JSON.stringify(part.map((r) => COLUMNS.map((c) => valueOf(r, c))));
      await tx.executeQuery(CompiledQuery.raw(POSTGRES_INSERT, [json]));
    } else {
      const values: unknown[] = [];
      for (const r of part) for (const c of COLUMNS) values.push(valueOf(r, c));
      await tx.executeQuery(CompiledQuery.raw(sqliteInsert(table, chunk), values));
    }
  }
}

/** The residents with any of these ID hashes, in one statement whatever their number. */
export async function residentsWithIdHashes(tx: Kysely<Database>, dialect: Dialect, hashes: readonly string[]): Promise<ResidentRow[]> {
  if (hashes.length === 0) return [];
  const matches =
    dialect === 'postgres'
      ? sql<boolean>`id_hash = any(array(select jsonb_array_elements_text(${JSON.stringify(hashes)}::jsonb)))`
      : sql<boolean>`id_hash in (select value from json_each(${JSON.stringify(hashes)}))`;
  return tx.selectFrom('residents').selectAll().where(matches).execute();
}
