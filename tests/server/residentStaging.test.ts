// The staging table of a first import (server/store/residentStaging.ts) and the migration that lets it
// be built without indexes (0016): SQLite's residents keep their unique keys as indexes of their own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../server/db/connect';
import { migrations } from '../../server/db/migrations';
import type { Database } from '../../server/db/schema';
import { KyselyStore } from '../../server/store/kyselyStore';
import { STAGE_BELOW, STAGED } from '../../server/store/residentStaging';
import { DATABASES, freshConnection } from '../support/backends';
import { residentRow as row } from './helpers';

const AT = '2026-12-01T08:00:00.000Z';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tables = async (db: Kysely<Database>) =>
  (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ${STAGED}`.execute(db)).rows;

describe.each(DATABASES)('staging a first import (%s)', (database) => {
  it(database === 'sqlite' ? 'stages beside a roster under the bound, and not while another import stages' : 'never stages', async () => {
    const fresh = await freshConnection(database);
    cleanups.push(fresh.drop);
    const store = await KyselyStore.open(fresh.conn);
    expect(await store.write((tx) => tx.residents().beginStaging(10))).toBe(database === 'sqlite');
    if (database !== 'sqlite') return;
    expect(await store.write((tx) => tx.residents().beginStaging(10))).toBe(false);
    await store.write((tx) => tx.residents().abandonStaging());
    await store.write((tx) => tx.residents().insertMany(Array.from({ length: STAGE_BELOW }, (_, i) => row(i))));
    expect(await store.write((tx) => tx.residents().beginStaging(10))).toBe(false);
  });
});

describe('a staging table (sqlite)', () => {
  const indexes = async (db: Kysely<Database>) =>
    (
      await sql<{ tbl_name: string; name: string }>`SELECT tbl_name, name FROM sqlite_master
        WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('residents', ${STAGED}) ORDER BY name`.execute(db)
    ).rows;

  it('left by a crash, with indexes the roster lent it, is dropped when the store opens again, the roster’s indexes back', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-staged-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const first = await connect({ databaseUrl: null, dataDir });
    const store = await KyselyStore.open(first);
    const before = await indexes(first.db);
    expect(await store.write((tx) => tx.residents().beginStaging(10))).toBe(true);
    await store.write((tx) => tx.residents().insertStaged([row(1)]));
    await store.write((tx) => tx.residents().moveIndexToStaged('residents_by_uid'));
    await store.write((tx) => tx.residents().moveIndexToStaged('residents_by_id_hash'));
    expect((await indexes(first.db)).filter((i) => i.tbl_name === STAGED).map((i) => i.name)).toEqual([
      'residents_by_id_hash',
      'residents_by_uid',
    ]);
    await store.close();
    const again = await connect({ databaseUrl: null, dataDir });
    expect(await tables(again.db)).toHaveLength(1);
    const reopened = await KyselyStore.open(again);
    cleanups.push(() => reopened.close());
    expect(await tables(again.db)).toEqual([]);
    expect(await indexes(again.db)).toEqual(before);
    await reopened.write((tx) => tx.residents().insertMany([row(1)]));
    await expect(reopened.write((tx) => tx.residents().insertMany([{ ...row(2), uid: 'uid-1' }]))).rejects.toThrow(/UNIQUE/);
    expect(await reopened.write((tx) => tx.residents().beginStaging(10))).toBe(true);
  });

  it('is not swapped in while the roster still has an index to lend it', async () => {
    const fresh = await freshConnection('sqlite');
    cleanups.push(fresh.drop);
    const store = await KyselyStore.open(fresh.conn);
    await store.write((tx) => tx.residents().beginStaging(10));
    await expect(store.write((tx) => tx.residents().swapInStaged([]), { keysAtCommit: true })).rejects.toThrow(/indexes to move/);
  });
});

describe('residents from before their keys were indexes of their own (sqlite, 0016)', () => {
  it('keep their rows, ids, id mark and keys, and what points at them', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-keys-'));
    const file = new SQLite(path.join(dataDir, 'old.sqlite'));
    file.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
    cleanups.push(async () => {
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations('sqlite') },
      migrationTableName: 'schema_migrations',
      migrationLockTableName: 'schema_migrations_lock',
    });
    expect((await migrator.migrateTo('0015_count_shards')).error).toBeUndefined();
    await db
      .insertInto('residents')
      .values([1, 2, 3].map((n) => ({ ...row(n), name_initials: 'wjg' })))
      .execute();
    // The last person gone: the id mark (3) stays above the highest id left.
    await db.deleteFrom('residents').where('id', '=', 3).execute();
    // A member points at person 2.
    const round = await db
      .insertInto('rounds')
      .values({ name: 'R', date: '2026-12-01', opened_at: AT, closed_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const point = await db
      .insertInto('points')
      .values({ code: 'A', name: 'A', pool_size: 10, created_at: AT })
      .returning('id')
      .executeTakeFirstOrThrow();
    const group = await db
      .insertInto('groups')
      .values({
        ...{ round_id: round.id, point_id: point.id, seq: 1, label: 'A-001', kind: 'pooled', pool_size: 10, state: 'forming', priority: 0 },
        ...{ tube_code: null, created_at: AT, closed_at: null, called_at: null, started_at: null, sampled_at: null },
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('members')
      .values({ group_id: group.id, round_id: round.id, resident_id: 2, position: 1, status: 'queued', scanned_at: AT, device: 'k1' })
      .execute();
    const before = await db.selectFrom('residents').selectAll().orderBy('id').execute();

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await db.selectFrom('residents').selectAll().orderBy('id').execute()).toEqual(before);
    expect((await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'residents'`.execute(db)).rows).toEqual([{ seq: 3 }]);
    const schema = (
      await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master WHERE tbl_name = 'residents' ORDER BY name`.execute(db)
    ).rows;
    expect(schema.find((s) => s.name === 'residents')!.sql).not.toMatch(/unique/i);
    expect(schema.map((s) => s.name)).toEqual([
      'residents',
      'residents_by_household',
      'residents_by_id_hash',
      'residents_by_initials',
      'residents_by_uid',
    ]);
    await expect(
      db
        .insertInto('residents')
        .values({ ...row(9), id_hash: 'hash-1', name_initials: '' })
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
    await expect(
      db
        .insertInto('residents')
        .values({ ...row(9), uid: 'uid-1', name_initials: '' })
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
    expect(file.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(file.pragma('foreign_key_check')).toEqual([]);
    expect(await db.selectFrom('members').select('resident_id').execute()).toEqual([{ resident_id: 2 }]);
    await expect(db.deleteFrom('residents').where('id', '=', 2).execute()).rejects.toThrow(/FOREIGN KEY/);
    expect(
      (
        await db
          .insertInto('residents')
          .values({ ...row(4), name_initials: '' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    ).toBe(4);
  });
});
