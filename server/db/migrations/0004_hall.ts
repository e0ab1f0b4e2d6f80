import type { Kysely, Migration } from 'kysely';

// Hall: desks of called groups and members ticked off at the door; the rows go with their group
// or member (a kiosk may undo a scan). Capacity, desk counts and the banner live in the settings table.
export function hall(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('hall_desks')
        .addColumn('group_id', 'integer', (c) => c.primaryKey().references('groups.id').onDelete('cascade'))
        .addColumn('desk', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('hall_presence')
        .addColumn('member_id', 'integer', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
        .execute();
    },
  };
}
