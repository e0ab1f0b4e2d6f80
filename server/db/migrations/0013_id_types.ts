import type { Kysely, Migration } from 'kysely';

/**
 * ID types (shared/idTypes.ts): every resident so far holds a resident ID, whose hash is unchanged; a passport's
 * nationality and the note of someone without an ID beside it. id_hash stays unique: other types hash with their code.
 */
export function idTypes(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('residents')
        .addColumn('id_type', 'text', (c) => c.notNull().defaultTo('resident-id'))
        .execute();
      await db.schema
        .alterTable('residents')
        .addColumn('nationality', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('residents')
        .addColumn('id_note', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    },
  };
}
