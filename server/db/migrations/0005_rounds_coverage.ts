import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect';
import { withId } from './columns';

/** The staggered schedule of a round and its home-visit list. */
export function roundsCoverage(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('points')
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await withId(db.schema.createTable('schedule_slots'), dialect)
        .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
        .addColumn('building', 'text', (c) => c.notNull())
        .addColumn('point', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schedule_by_round').on('schedule_slots').column('round_id').execute();
      await withId(db.schema.createTable('home_visits'), dialect)
        .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
        .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('team', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('group_id', 'integer', (c) => c.references('groups.id'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        // A person is on a round's visit list once.
        .addUniqueConstraint('home_visits_once_per_round', ['round_id', 'resident_id'])
        .execute();
    },
  };
}
