import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect';

// The round's counts in one row made that row a lock every scan took until its commit, so on
// PostgreSQL no two points' scans could commit side by side. The counts are now kept per shard (on
// PostgreSQL the member's sampling point, whose row a scan locks anyway) and read as their sum.
// SQLite has one writer: it keeps one shard (0) per round, as before.
export function countShards(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      if (dialect === 'postgres') {
        await sql`ALTER TABLE round_counts ADD COLUMN shard integer NOT NULL DEFAULT 0`.execute(db);
        await sql`ALTER TABLE round_counts DROP CONSTRAINT round_counts_pkey`.execute(db);
        await sql`ALTER TABLE round_counts ADD PRIMARY KEY (round_id, shard)`.execute(db);
        // A round's shards come into being with its first member there.
        await sql`DROP TRIGGER round_counts_open ON rounds`.execute(db);
        await sql`DROP FUNCTION round_counts_open()`.execute(db);
        await sql`CREATE OR REPLACE FUNCTION round_counts_member() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            v_shard integer;
          BEGIN
            IF TG_OP <> 'INSERT' AND OLD.retest = 0 THEN
              SELECT point_id INTO v_shard FROM groups WHERE id = OLD.group_id;
              INSERT INTO round_counts AS rc (round_id, shard, registered, sampled)
                VALUES (OLD.round_id, coalesce(v_shard, 0), -(OLD.status <> 'absent')::int, -(OLD.status = 'sampled')::int)
                ON CONFLICT (round_id, shard) DO UPDATE
                  SET registered = rc.registered + excluded.registered, sampled = rc.sampled + excluded.sampled;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.retest = 0 THEN
              SELECT point_id INTO v_shard FROM groups WHERE id = NEW.group_id;
              INSERT INTO round_counts AS rc (round_id, shard, registered, sampled)
                VALUES (NEW.round_id, coalesce(v_shard, 0), (NEW.status <> 'absent')::int, (NEW.status = 'sampled')::int)
                ON CONFLICT (round_id, shard) DO UPDATE
                  SET registered = rc.registered + excluded.registered, sampled = rc.sampled + excluded.sampled;
            END IF;
            RETURN NULL;
          END $$`.execute(db);
        // Only a status that really changed moves a count (an update that sets the same status is free).
        await sql`DROP TRIGGER round_counts_member ON members`.execute(db);
        await sql`CREATE TRIGGER round_counts_member AFTER INSERT OR DELETE ON members
          FOR EACH ROW EXECUTE FUNCTION round_counts_member()`.execute(db);
        await sql`CREATE TRIGGER round_counts_member_status AFTER UPDATE OF status ON members
          FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION round_counts_member()`.execute(db);
        return;
      }
      // SQLite cannot change a primary key in place: the table is rebuilt, its triggers (on rounds and
      // members) taken off meanwhile, since a rename checks every trigger, and put back as they were.
      const triggers = (
        await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master
        WHERE type = 'trigger' AND sql LIKE '%round_counts%'`.execute(db)
      ).rows;
      for (const t of triggers) await sql.raw(`DROP TRIGGER ${t.name}`).execute(db);
      await sql`CREATE TABLE round_counts_sharded (
        round_id integer NOT NULL REFERENCES rounds(id), shard integer NOT NULL DEFAULT 0,
        registered integer NOT NULL DEFAULT 0, sampled integer NOT NULL DEFAULT 0, PRIMARY KEY (round_id, shard))`.execute(db);
      await sql`INSERT INTO round_counts_sharded (round_id, registered, sampled) SELECT round_id, registered, sampled FROM round_counts`.execute(
        db,
      );
      await sql`DROP TABLE round_counts`.execute(db);
      await sql`ALTER TABLE round_counts_sharded RENAME TO round_counts`.execute(db);
      for (const t of triggers) await sql.raw(t.sql).execute(db);
    },
  };
}
