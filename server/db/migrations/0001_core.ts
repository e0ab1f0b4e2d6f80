import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect';
import { withId } from './columns';

export function core(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('rounds'), dialect)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute();
      await withId(db.schema.createTable('points'), dialect)
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('pool_size', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('residents'), dialect)
        .addColumn('uid', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('id_hash', 'text', (c) => c.notNull().unique())
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('id_enc', 'text', (c) => c.notNull())
        .addColumn('phone_enc', 'text')
        .addColumn('building', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('room', 'text', (c) => c.notNull())
        .addColumn('household', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('residents_by_household').on('residents').columns(['building', 'household']).execute();
      await withId(db.schema.createTable('groups'), dialect)
        .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
        .addColumn('point_id', 'integer', (c) => c.notNull().references('points.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('pool_size', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('tube_code', 'text', (c) => c.unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('called_at', 'text')
        .addColumn('started_at', 'text')
        .addColumn('sampled_at', 'text')
        .addUniqueConstraint('groups_seq_per_point', ['round_id', 'point_id', 'seq'])
        .execute();
      await db.schema.createIndex('groups_by_state').on('groups').columns(['round_id', 'state']).execute();
      await withId(db.schema.createTable('members'), dialect)
        .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id'))
        .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
        .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('scanned_at', 'text', (c) => c.notNull())
        .addColumn('device', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('members_by_group').on('members').column('group_id').execute();
      // 不重采: one live place per person per round, enforced by the database on every node.
      await db.schema
        .createIndex('members_once_per_round')
        .unique()
        .on('members')
        .columns(['round_id', 'resident_id'])
        .where(sql.ref('status'), '<>', 'absent')
        .execute();
      await db.schema
        .createTable('requests')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('reply', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('audit'), dialect)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('device', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
