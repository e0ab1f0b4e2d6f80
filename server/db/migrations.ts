import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './dialect';
import { core } from './migrations/0001_core';
import { hall } from './migrations/0004_hall';
import { lab } from './migrations/0006_lab';
import { kioskUndo } from './migrations/0002_kiosk_undo';
// ---- rounds and coverage ----
import { roundsCoverage } from './migrations/0005_rounds_coverage';
import { kioskTubes } from './migrations/0003_kiosk_tubes';
import { roundCounts } from './migrations/0007_round_counts';
import { scanIndexes } from './migrations/0008_scan_indexes';
import { tokenRevocation } from './migrations/0010_token_revocation';
import { homeTeams } from './migrations/0012_home_teams';
import { idTypes } from './migrations/0013_id_types';
import { pooledScan } from './migrations/0014_pooled_scan';
import { countShards } from './migrations/0015_count_shards';
import { residentKeys } from './migrations/0016_resident_keys';
// (migration imports above this line)

// Migrations are code, applied in name order at start-up; a released one is never edited.
// One file per migration in migrations/, named NNNN_what.ts.
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_core': core(dialect),
    '0004_hall': hall(),
    '0006_lab': lab(dialect),
    '0002_kiosk_undo': kioskUndo(),
    // ---- rounds and coverage ----
    '0005_rounds_coverage': roundsCoverage(dialect),
    '0003_kiosk_tubes': kioskTubes(dialect),
    '0007_round_counts': roundCounts(dialect),
    '0008_scan_indexes': scanIndexes(),
    '0010_token_revocation': tokenRevocation(),
    '0012_home_teams': homeTeams(dialect),
    '0013_id_types': idTypes(),
    '0014_pooled_scan': pooledScan(dialect),
    '0015_count_shards': countShards(dialect),
    '0016_resident_keys': residentKeys(dialect),
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
