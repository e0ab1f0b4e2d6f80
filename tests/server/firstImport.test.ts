// A district's first roster import on SQLite stages its people and swaps them in with the roster's indexes
// built at the end (server/store/residentStaging.ts): the people already on the roster (a small roster
// imported before, a walk-in) keep their rows, ids and codes, the file's copy of them is merged, and the
// roster ends as a roster imported row by row would be. A refused file leaves nothing behind.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import type { Connection } from '../../server/db/connect';
import type { Database } from '../../server/db/schema';
import { API, MAX_CSV_ROWS, type BuildingSummary } from '../../shared/api';
import { freshConnection } from '../support/backends';
import { startSite, type TestSite } from '../support/testServer';
import { added, districtPerson, nameOf, ok, scan, walkIn } from './helpers';

const person = districtPerson;

async function schema(db: Kysely<Database>): Promise<{ type: string; name: string; sql: string }[]> {
  return (
    await sql<{ type: string; name: string; sql: string }>`SELECT type, name, sql FROM sqlite_master
      WHERE tbl_name IN ('residents', 'residents_staged') ORDER BY type, name`.execute(db)
  ).rows;
}

describe('a district’s first import (sqlite)', () => {
  let site: TestSite;
  let db: Kysely<Database>;
  beforeAll(async () => {
    site = await startSite('sqlite');
    db = (site.server.store as unknown as { conn: Connection }).conn.db;
  });
  afterAll(() => site?.close());

  /** The roster's rows (of these ids), as far as what points at them and their codes go. */
  const keysOf = (ids?: number[]) => {
    const rows = db.selectFrom('residents').select(['id', 'uid', 'id_hash']);
    return (ids ? rows.where('id', 'in', ids) : rows).orderBy('id').execute();
  };

  const buildings = async () => {
    const res = await fetch(site.url + API.buildings, { headers: { authorization: `Bearer ${await site.token('staff')}` } });
    return new Map(((await res.json()) as BuildingSummary[]).map((b) => [b.building, b.residents]));
  };

  it('refuses a file too long for the roster having staged part of it, leaving no one and no staging table', async () => {
    // 9,000 people (two staged steps), then rows of a name alone past the limit.
    const csv = rosterCsv(Array.from({ length: 9000 }, (_, i) => person(i, '60'))) + '张三\r\n'.repeat(MAX_CSV_ROWS - 8999);
    const { status, body } = await site.importRoster(csv, 'district.csv');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ reason: 'file.too-many-rows' });
    expect(await buildings()).toEqual(new Map());
    expect((await schema(db)).filter((s) => s.name === 'residents_staged')).toEqual([]);
  });

  it('keeps the people on the roster (scanned, walked in) as they are, merges the file’s copy of them and adds the rest, and again', async () => {
    const early = Array.from({ length: 3 }, (_, i) => person(i, '61'));
    expect((await site.importRoster(rosterCsv(early), 'early.csv')).body).toMatchObject({ added: 3 });
    const codesBefore = await site.codesByName('61');
    const kiosk = await site.connect('kiosk');
    // Scanned: a member row points at the first early person.
    added(await scan(kiosk, codesBefore.get(early[0].name)!));
    // A walk-in, not on the roster yet, whom the district's file lists.
    const stranger = person(5000, '62');
    expect(ok(await scan(kiosk, stranger.idNumber)).kind).toBe('not-on-roster');
    ok(await walkIn(kiosk, { name: stranger.name, idType: 'resident-id', idNumber: stranger.idNumber }));
    const before = await keysOf();
    // The early roster was staged: the walk-in's id comes after those it set aside for its people.
    expect(before[3].id - before[0].id).toBeGreaterThanOrEqual(MAX_CSV_ROWS);

    const district = [{ ...early[0], phone: '13700000000' }, early[1], ...Array.from({ length: 9000 }, (_, i) => person(i, '62'))];
    const { status, body } = await site.importRoster(rosterCsv(district), 'district.csv');
    expect(status).toBe(200);
    // The walk-in (person 5,000 of building 62) is in the file: updated with the file's address.
    expect(body).toMatchObject({ accepted: 9002, added: 8999, updated: 2, unchanged: 1, rejectedCount: 0 });
    expect(await buildings()).toEqual(
      new Map([
        ['61', 3],
        ['62', 9000],
      ]),
    );

    // Everyone who was on the roster keeps their row (id, code); the codes still scan.
    const after = await keysOf(before.map((r) => r.id));
    expect(after).toEqual(before);
    const codesAfter = await site.codesByName('61');
    for (const p of early) expect(codesAfter.get(p.name)).toBe(codesBefore.get(p.name));
    expect(ok(await scan(kiosk, codesAfter.get(early[0].name)!)).kind).toBe('duplicate');
    expect(added(await scan(kiosk, codesAfter.get(early[1].name)!)).resident.name).toBe(early[1].name);
    const newcomer = (await site.codes('62')).flatMap((h) => h.members).find((m) => m.name === nameOf(8999 % 2000));
    expect(added(await scan(kiosk, newcomer!.code)).resident.name).toBe(newcomer!.name);

    // The roster is as a fresh database's, its keys whole, and the ids given go on past every one given.
    const fresh = await freshConnection('sqlite');
    try {
      expect(await schema(db)).toEqual(await schema(fresh.conn.db));
    } finally {
      await fresh.drop();
    }
    expect((await sql`PRAGMA foreign_key_check`.execute(db)).rows).toEqual([]);
    expect((await sql`PRAGMA integrity_check`.execute(db)).rows).toEqual([{ integrity_check: 'ok' }]);
    const { max } = await db
      .selectFrom('residents')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirstOrThrow();
    const seq = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'residents'`.execute(db);
    expect(seq.rows[0].seq).toBeGreaterThanOrEqual(Number(max));
    const { id: _id, ...copy } = await db.selectFrom('residents').selectAll().where('id', '=', before[0].id).executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('residents')
        .values({ ...copy, uid: 'another' })
        .execute(),
    ).rejects.toThrow(/UNIQUE/);

    // The same file again, one room changed: the roster (9,003 people) is under the bound, so it stages
    // again, and every one of its people is merged.
    district[12] = { ...district[12], room: '9999' };
    expect((await site.importRoster(rosterCsv(district), 'again.csv')).body).toMatchObject({ added: 0, updated: 1, unchanged: 9001 });
    expect((await buildings()).get('62')).toBe(9000);
    expect(await keysOf(before.map((r) => r.id))).toEqual(before);
  });
});
