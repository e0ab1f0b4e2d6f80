import type { Kysely, Migration } from 'kysely';
import { nameInitials } from '../../../shared/residentSearch';

// Kiosk search by pinyin initials: computed once per resident when written, not per query.
export function kioskUndo(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('residents')
        .addColumn('name_initials', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      const rows: { id: number; name: string }[] = await db.selectFrom('residents').select(['id', 'name']).execute();
      for (const r of rows) {
        await db
          .updateTable('residents')
          .set({ name_initials: nameInitials(r.name) })
          .where('id', '=', r.id)
          .execute();
      }
      await db.schema.createIndex('residents_by_initials').on('residents').column('name_initials').execute();
    },
  };
}
