import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './connect';
import { core } from './migrations/0001_core';
// (migration imports above this line)

// Migrations are code, applied in name order at start-up; a released one is never edited.
// One file per migration in migrations/, named NNNN_what.ts.
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_core': core(dialect),
    // (migrations above this line)
  };
}

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
