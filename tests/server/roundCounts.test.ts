// The round's counts (registered, sampled) are kept by the database on every member write
// (migration 0007): they must always equal a recount, whatever the write, and a database
// migrated from before 0007 starts with the right numbers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../server/db/connect';
import { migrations } from '../../server/db/migrations';
import type { Database } from '../../server/db/schema';
import { KyselyStore } from '../../server/store/kyselyStore';
import { DATABASES, freshConnection, freshPostgresDatabase } from '../support/backends';

const AT = '2026-11-22T08:00:00.000Z';

describe.each(DATABASES)('round counts kept by the database (%s)', (database) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(): Promise<Connection> {
    const { conn, drop } = await freshConnection(database);
    cleanups.push(drop);
    return conn;
  }

  /** A round, one point, `people` residents and one group; returns their ids. */
  async function seed(db: Kysely<Database>, people: number) {
    const round = await db
      .insertInto('rounds')
      .values({ name: 'R', date: '2026-11-22', opened_at: AT, closed_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('points')
      .values({ code: 'A', name: 'A', pool_size: 10, created_at: AT })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    const point = await db.selectFrom('points').select('id').where('code', '=', 'A').executeTakeFirstOrThrow();
    const residents = await db
      .insertInto('residents')
      .values(
        Array.from({ length: people }, (_, k) => ({
          uid: `U${round.id}-${k}`,
          name: '王建国',
          id_hash: `h${round.id}-${k}`,
          id_masked: '1101**********0011',
          id_enc: 'x',
          phone_enc: null,
          building: '1',
          unit: '1',
          room: '101',
          household: '1-1-101',
          tags: '[]',
          name_initials: 'wjg',
          created_at: AT,
          updated_at: AT,
        })),
      )
      .returning('id')
      .execute();
    const group = await db
      .insertInto('groups')
      .values({
        round_id: round.id,
        point_id: point.id,
        seq: 1,
        label: 'A-001',
        kind: 'pooled',
        pool_size: 10,
        state: 'forming',
        priority: 0,
        tube_code: null,
        created_at: AT,
        closed_at: null,
        called_at: null,
        started_at: null,
        sampled_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { round: round.id, group: group.id, residents: residents.map((r) => r.id) };
  }

  async function recount(db: Kysely<Database>, roundId: number) {
    const members = await db.selectFrom('members').select(['status', 'retest']).where('round_id', '=', roundId).execute();
    const people = members.filter((m) => m.retest === 0);
    return { registered: people.filter((m) => m.status !== 'absent').length, sampled: people.filter((m) => m.status === 'sampled').length };
  }

  it('equals a recount after every kind of member write, retest samples not counted twice', async () => {
    const conn = await open();
    const store = await KyselyStore.open(conn);
    const { round, group, residents } = await seed(conn.db, 6);
    const counts = async () => {
      const kept = await store.read((tx) => tx.queue().counts(round));
      expect({ registered: kept.registered, sampled: kept.sampled }).toEqual(await recount(conn.db, round));
      return [kept.registered, kept.sampled];
    };
    expect(await counts()).toEqual([0, 0]);

    const ids = await store.write(async (tx) =>
      Promise.all(
        residents.map((resident_id, k) =>
          tx.queue().insertMember({ group_id: group, round_id: round, resident_id, position: k + 1, scanned_at: AT, device: 'k1' }),
        ),
      ),
    );
    expect(await counts()).toEqual([6, 0]);
    await store.write((tx) => tx.queue().setMemberStatus(ids[0], 'absent'));
    expect(await counts()).toEqual([5, 0]);
    await store.write((tx) => tx.queue().deleteMember(ids[1]));
    expect(await counts()).toEqual([4, 0]);
    await store.write((tx) => tx.queue().setGroupMembersSampled(group));
    expect(await counts()).toEqual([4, 4]);
    // A positive pool: one member gives a retest sample, which is a sample, not another person.
    await store.write((tx) =>
      tx.queue().insertMember({
        group_id: group,
        round_id: round,
        resident_id: residents[2],
        position: 7,
        scanned_at: AT,
        device: 'k1',
        retest: 1,
      }),
    );
    await store.write((tx) => tx.queue().setGroupMembersSampled(group));
    expect(await counts()).toEqual([4, 4]);
    await store.write((tx) => tx.queue().setMemberStatus(ids[0], 'queued'));
    await store.write((tx) => tx.queue().releaseGroupMembers(group));
    expect(await counts()).toEqual([4, 4]);
    await store.write((tx) => tx.queue().setMemberStatus(ids[3], 'absent'));
    expect(await counts()).toEqual([3, 3]);
    // A write that is rolled back leaves the counts as they were.
    await expect(
      store.write(async (tx) => {
        await tx.queue().setMemberStatus(ids[4], 'absent');
        throw new Error('undone');
      }),
    ).rejects.toThrow('undone');
    expect(await counts()).toEqual([3, 3]);
    // Another round counts from zero.
    const next = await seed(conn.db, 1);
    expect(await store.read((tx) => tx.queue().counts(next.round))).toMatchObject({ registered: 0, sampled: 0 });
  });

  it('starts a database migrated from before the counts with the numbers its members give', async () => {
    // A database of the same kind, taken only as far as the migration before 0007.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-counts-'));
    const pgDb = database === 'postgres' ? await freshPostgresDatabase() : null;
    const old = new Kysely<Database>({
      dialect: pgDb
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: pgDb.url }) })
        : new SqliteDialect({ database: new SQLite(path.join(dataDir, 'old.sqlite')) }),
    });
    cleanups.push(async () => {
      await old.destroy();
      await pgDb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const migrator = new Migrator({
      db: old,
      provider: { getMigrations: async () => migrations(database) },
      migrationTableName: 'schema_migrations',
      migrationLockTableName: 'schema_migrations_lock',
    });
    expect((await migrator.migrateTo('0006_lab')).error).toBeUndefined();
    const { round, group, residents } = await seed(old, 3);
    for (const [k, resident_id] of residents.entries()) {
      await old
        .insertInto('members')
        .values({
          group_id: group,
          round_id: round,
          resident_id,
          position: k + 1,
          scanned_at: AT,
          device: 'k1',
          status: k === 0 ? 'sampled' : k === 1 ? 'absent' : 'queued',
          retest: 0,
        })
        .execute();
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const row = await old.selectFrom('round_counts').selectAll().where('round_id', '=', round).executeTakeFirstOrThrow();
    expect([row.registered, row.sampled].map(Number)).toEqual([2, 1]);
  });
});
