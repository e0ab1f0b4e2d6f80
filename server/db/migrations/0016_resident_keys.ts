import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect';

/** The unique keys' indexes, named: a first import moves the roster's indexes by name (server/store/residentStaging.ts). */
const KEY_INDEXES = [
  'CREATE UNIQUE INDEX "residents_by_uid" on "residents" ("uid")',
  'CREATE UNIQUE INDEX "residents_by_id_hash" on "residents" ("id_hash")',
];

// On SQLite a column's UNIQUE keeps its index inside the table's definition, so a copy of the table
// (a first roster import's staging table) would keep those indexes up to date row by row, which is
// what made a district's import slow. The table is rebuilt with the same columns, its unique keys as
// indexes of their own. PostgreSQL's constraints stay: its import does not stage.
export function residentKeys(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      if (dialect === 'postgres') return;
      const { rows } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'residents'`.execute(db);
      const keyless = rows[0].sql.replace('"residents"', '"residents_keyed"').replaceAll(' not null unique', ' not null');
      if (/unique/i.test(keyless)) throw new Error(`residents has a unique key this migration does not know: ${rows[0].sql}`);
      const others = (
        await sql<{
          sql: string;
        }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'residents' AND sql IS NOT NULL`.execute(db)
      ).rows.map((r) => r.sql);
      // Members, visits and retests point at residents: their keys are not checked while the table is
      // swapped (a pragma that holds only outside a transaction), then checked once before the commit.
      await sql`PRAGMA foreign_keys = OFF`.execute(db);
      try {
        await sql`BEGIN IMMEDIATE`.execute(db);
        try {
          await sql.raw(keyless).execute(db);
          await sql`INSERT INTO residents_keyed SELECT * FROM residents`.execute(db);
          // AUTOINCREMENT's high-water mark goes along: an id once given is never given again.
          await sql`DELETE FROM sqlite_sequence WHERE name = 'residents_keyed'`.execute(db);
          await sql`INSERT INTO sqlite_sequence (name, seq) SELECT 'residents_keyed', seq FROM sqlite_sequence WHERE name = 'residents'`.execute(
            db,
          );
          await sql`DROP TABLE residents`.execute(db);
          await sql`ALTER TABLE residents_keyed RENAME TO residents`.execute(db);
          for (const ddl of [...KEY_INDEXES, ...others]) await sql.raw(ddl).execute(db);
          const broken = (await sql`PRAGMA foreign_key_check`.execute(db)).rows;
          if (broken.length) throw new Error(`foreign keys broken by rebuilding residents: ${JSON.stringify(broken.slice(0, 5))}`);
          await sql`COMMIT`.execute(db);
        } catch (err) {
          await sql`ROLLBACK`.execute(db);
          throw err;
        }
      } finally {
        await sql`PRAGMA foreign_keys = ON`.execute(db);
      }
    },
  };
}
