import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect';
import { withId } from './columns';

/** Home-sampling teams, each signing in with a link of its own (server/homeVisits/teamAccess.ts). */
export function homeTeams(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await withId(db.schema.createTable('home_teams'), dialect)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
