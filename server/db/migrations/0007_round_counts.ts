import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect';

// Every change tells clients how many people are registered and sampled this round. Recounting the
// round's members on every scan grew with the round (O(n) per scan, 100,000 members by evening); the
// database keeps the two numbers instead, by triggers, so no write path can forget them.
// People, not samples: a retest sample (retest > 0) never counts a person twice.
export function roundCounts(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('round_counts')
        .addColumn('round_id', 'integer', (c) => c.primaryKey().references('rounds.id'))
        .addColumn('registered', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sampled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`INSERT INTO round_counts (round_id, registered, sampled)
        SELECT r.id,
          (SELECT COUNT(*) FROM members m WHERE m.round_id = r.id AND m.retest = 0 AND m.status <> 'absent'),
          (SELECT COUNT(*) FROM members m WHERE m.round_id = r.id AND m.retest = 0 AND m.status = 'sampled')
        FROM rounds r`.execute(db);

      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION round_counts_open() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO round_counts (round_id) VALUES (NEW.id); RETURN NULL; END $$`.execute(db);
        await sql`CREATE TRIGGER round_counts_open AFTER INSERT ON rounds
          FOR EACH ROW EXECUTE FUNCTION round_counts_open()`.execute(db);
        await sql`CREATE FUNCTION round_counts_member() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP <> 'INSERT' AND OLD.retest = 0 THEN
              UPDATE round_counts SET registered = registered - (OLD.status <> 'absent')::int,
                sampled = sampled - (OLD.status = 'sampled')::int WHERE round_id = OLD.round_id;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.retest = 0 THEN
              UPDATE round_counts SET registered = registered + (NEW.status <> 'absent')::int,
                sampled = sampled + (NEW.status = 'sampled')::int WHERE round_id = NEW.round_id;
            END IF;
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE TRIGGER round_counts_member AFTER INSERT OR DELETE OR UPDATE OF status ON members
          FOR EACH ROW EXECUTE FUNCTION round_counts_member()`.execute(db);
      } else {
        await sql`CREATE TRIGGER round_counts_open AFTER INSERT ON rounds
          BEGIN INSERT INTO round_counts (round_id) VALUES (NEW.id); END`.execute(db);
        await sql`CREATE TRIGGER round_counts_member_insert AFTER INSERT ON members WHEN NEW.retest = 0
          BEGIN UPDATE round_counts SET registered = registered + (NEW.status <> 'absent'),
            sampled = sampled + (NEW.status = 'sampled') WHERE round_id = NEW.round_id; END`.execute(db);
        await sql`CREATE TRIGGER round_counts_member_delete AFTER DELETE ON members WHEN OLD.retest = 0
          BEGIN UPDATE round_counts SET registered = registered - (OLD.status <> 'absent'),
            sampled = sampled - (OLD.status = 'sampled') WHERE round_id = OLD.round_id; END`.execute(db);
        await sql`CREATE TRIGGER round_counts_member_status AFTER UPDATE OF status ON members
          WHEN NEW.retest = 0 AND NEW.status <> OLD.status
          BEGIN UPDATE round_counts SET
            registered = registered - (OLD.status <> 'absent') + (NEW.status <> 'absent'),
            sampled = sampled - (OLD.status = 'sampled') + (NEW.status = 'sampled') WHERE round_id = NEW.round_id; END`.execute(db);
      }
    },
  };
}
