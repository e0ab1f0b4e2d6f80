import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect';
import { withId } from './columns';

// Tubes to the lab and results back: transport boxes, results per tube, the retest list,
// one retest sample per person allowed past 不重采, and an audit trail the database keeps append-only.
export function lab(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await withId(db.schema.createTable('boxes'), dialect)
        .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('courier_name', 'text')
        .addColumn('courier_phone_enc', 'text')
        .addColumn('handed_over_at', 'text')
        .addColumn('receiver_name', 'text')
        .addColumn('received_count', 'integer')
        .addColumn('received_at', 'text')
        // Cool boxes are used again day after day: a code is unique within a round.
        .addUniqueConstraint('boxes_code_per_round', ['round_id', 'code'])
        .execute();
      // A tube in one box only: the tube (group) is the key.
      await db.schema
        .createTable('box_tubes')
        .addColumn('group_id', 'integer', (c) => c.primaryKey().references('groups.id'))
        .addColumn('box_id', 'integer', (c) => c.notNull().references('boxes.id'))
        .addColumn('added_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('box_tubes_by_box').on('box_tubes').column('box_id').execute();
      await db.schema
        .createTable('tube_results')
        .addColumn('group_id', 'integer', (c) => c.primaryKey().references('groups.id'))
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('resulted_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('retests')
        .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
        .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id'))
        // 1 for the first retest; an invalid retest tube asks for attempt 2, and so on.
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('retests_once_per_round', ['round_id', 'resident_id'])
        .execute();

      // 不重采 with one exception: a person on the retest list gives exactly one sample per retest attempt.
      await db.schema
        .alterTable('members')
        .addColumn('retest', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.dropIndex('members_once_per_round').execute();
      await db.schema
        .createIndex('members_once_per_round')
        .unique()
        .on('members')
        .columns(['round_id', 'resident_id', 'retest'])
        .where(sql.ref('status'), '<>', 'absent')
        .execute();

      // Append-only: the database itself refuses to change or remove an audit row.
      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$`.execute(db);
        await sql`CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
          FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(db);
      } else {
        await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`.execute(db);
      }
    },
  };
}
