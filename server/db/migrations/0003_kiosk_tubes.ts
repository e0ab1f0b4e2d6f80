import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect';
import { withId } from './columns';

// Kiosk tubes and the offline outbox: household tubes, request fingerprints for replays,
// and offline scans that found the person already placed (conflicts for staff).
export function kioskTubes(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      // Household-mode tubes and the household each holds; other groups have no row here.
      await db.schema
        .createTable('household_tubes')
        .addColumn('group_id', 'integer', (c) => c.primaryKey().references('groups.id'))
        .addColumn('household', 'text', (c) => c.notNull())
        .execute();
      // A replayed key must carry the same request; old rows have no fingerprint.
      await db.schema.alterTable('requests').addColumn('request_hash', 'text').execute();
      await withId(db.schema.createTable('scan_conflicts'), dialect)
        .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
        .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
        .addColumn('request_key', 'text', (c) => c.notNull().unique())
        .addColumn('point', 'text', (c) => c.notNull())
        .addColumn('device', 'text', (c) => c.notNull())
        .addColumn('scanned_at', 'text', (c) => c.notNull())
        .addColumn('previous_point', 'text', (c) => c.notNull())
        .addColumn('previous_group', 'text', (c) => c.notNull())
        .addColumn('previous_at', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('scan_conflicts_by_round').on('scan_conflicts').column('round_id').execute();
    },
  };
}
