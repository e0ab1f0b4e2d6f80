// PostgreSQL places a plain pooled scan inside the database (natq_pooled_scan, migration 0014); the
// rules it applies have their home in shared/. These tests hold the two equal: the rule functions
// against their TypeScript references, the tags passed in against routing and priority, and the same
// scans through SQLite (placed step by step by the node) and PostgreSQL giving the same replies,
// groups, counts and audit trail.
import os from 'node:os';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupLabel, placeNext, POOL_SIZES } from '../../shared/pooling';
import { routeFor } from '../../shared/routing';
import { hasPriority, TAGS, type Tag } from '../../shared/tags';
import type { GroupView, Reply, ScanOutcome } from '../../shared/protocol';
import { parseResidentCode } from '../../shared/residentCode';
import { connect, type Connection } from '../../server/db/connect';
import { KyselyStore } from '../../server/store/kyselyStore';
import { OTHER_ROUTE_TAGS, PRIORITY_TAG_LIST } from '../../server/store/pgScan';
import { BACKENDS, freshPostgresDatabase } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import { callNext, idNumberOf, markAbsent, ok, resident, residents, scan, startSiteWithRoster, sync } from './helpers';

const onPostgres = BACKENDS.includes('postgres');

describe('the tags natq_pooled_scan is given', () => {
  it('route a set of tags elsewhere and give it priority exactly as shared/routing and shared/tags do', () => {
    fc.assert(
      fc.property(fc.subarray([...TAGS]), (tags: Tag[]) => {
        expect(tags.some((t) => OTHER_ROUTE_TAGS.includes(t))).toBe(routeFor(tags) !== 'pooled');
        expect(tags.some((t) => PRIORITY_TAG_LIST.includes(t))).toBe(hasPriority(tags));
      }),
    );
  });
});

describe.runIf(onPostgres)('natq_pooled_scan (postgres)', () => {
  let client: pg.Client;
  let conn: Connection;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await freshPostgresDatabase();
    drop = db.drop;
    conn = await connect({ databaseUrl: db.url, dataDir: os.tmpdir() });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await conn?.db.destroy();
    await drop?.();
  });

  it('natq_place_next is placeNext for every forming group and point size', async () => {
    const cases: [number | null, number | null, number][] = [];
    for (const point of POOL_SIZES) {
      cases.push([null, null, point]);
      for (const pool of POOL_SIZES) for (let size = 0; size <= pool + 1; size++) cases.push([size, pool, point]);
    }
    const { rows } = await client.query<{ new_group: boolean; pos: number; pool_size: number; full: boolean }>(
      'select (natq_place_next(c.size, c.pool, c.point)).* from unnest($1::int[], $2::int[], $3::int[]) with ordinality as c(size, pool, point, n) order by n',
      [cases.map((c) => c[0]), cases.map((c) => c[1]), cases.map((c) => c[2])],
    );
    expect(rows.map((r) => ({ newGroup: r.new_group, position: r.pos, poolSize: r.pool_size, full: r.full }))).toEqual(
      cases.map(([size, pool, point]) => placeNext(size === null ? null : { size, poolSize: pool! }, point)),
    );
  });

  it('natq_group_label is groupLabel', async () => {
    const cases: [string, number][] = [
      ['A', 1],
      ['A', 9],
      ['B2', 10],
      ['东门', 99],
      ['A', 100],
      ['A', 999],
      ['A', 1000],
      ['C', 12345],
    ];
    const { rows } = await client.query<{ label: string }>(
      'select natq_group_label(c.code, c.seq) as label from unnest($1::text[], $2::int[]) with ordinality as c(code, seq, n) order by n',
      [cases.map((c) => c[0]), cases.map((c) => c[1])],
    );
    expect(rows.map((r) => r.label)).toEqual(cases.map(([code, seq]) => groupLabel(code, seq)));
  });

  it('places a plain scan and leaves every other case to the node, having written nothing', async () => {
    const store = await KyselyStore.open(conn);
    const at = new Date().toISOString();
    await store.write(async (tx) => {
      await tx.rounds().insertPoint('A', 'A', 10, at);
      await tx.rounds().open('r', '2026-12-01', at);
      for (const [uid, tags] of [
        ['plain', '[]'],
        ['sealed', '["sealed"]'],
        ['quarantined', '["quarantine"]'],
        ['elderly', '["elderly"]'],
      ]) {
        await tx.residents().insert({
          uid,
          name: uid,
          id_type: 'resident-id',
          id_hash: `hash-${uid}`,
          id_masked: '',
          id_enc: '',
          phone_enc: null,
          nationality: '',
          id_note: '',
          building: '1',
          unit: '1',
          room: '101',
          household: '1-1-101',
          tags,
          created_at: at,
          updated_at: at,
        });
      }
    });
    const place = (uid: string | null, point = 'A', idHash: string | null = null) =>
      store.writeGrouped((tx) =>
        tx.queue().pooledScan({
          uid,
          idHash,
          point,
          scannedAt: at,
          at,
          role: 'kiosk',
          device: 'k1',
        }),
      );
    const written = async () =>
      (
        await client.query<{ n: number }>(
          'select (select count(*) from members) + (select count(*) from groups) + (select count(*) from audit) as n',
        )
      ).rows[0].n;

    expect(await place('plain')).toMatchObject({ uid: 'plain', label: 'A-001', position: 1, poolSize: 10, full: false });
    expect(await place(null, 'A', 'hash-elderly')).toMatchObject({ uid: 'elderly', label: 'A-002', position: 1 });
    const before = await written();
    for (const refused of [place('plain'), place('sealed'), place('quarantined'), place('nobody'), place(null, 'B', 'hash-nobody')]) {
      expect(await refused).toBeNull();
    }
    await client.query("update residents set tags = '[]' where uid = 'sealed'");
    expect(await place('sealed', 'Z')).toBeNull();
    expect(await written()).toBe(before);
  });
});

/** A script of scans, undos, a call and an absence at one site; what each step answered and what the site holds after. */
async function runScript(backend: 'sqlite' | 'postgres') {
  const people = [
    ...residents(0, 13),
    resident(13, ['elderly']),
    resident(14, ['elderly']),
    resident(15, ['quarantine']),
    resident(16, ['sealed']),
  ];
  const rs = await startSiteWithRoster(backend, people);
  try {
    const kiosk: Listener = await rs.site.connect('kiosk', 'kiosk-A1');
    const volunteer = await rs.site.connect('volunteer', 'vol-1');
    const steps: unknown[] = [];
    const record = (reply: Reply<unknown>) => {
      steps.push(reply.ok ? withoutTimes(reply.value) : { refused: reply.error.reason });
      return reply;
    };
    const scanOf = async (i: number, opts: { point?: string; byId?: boolean } = {}) =>
      record(await scan(kiosk, opts.byId ? idNumberOf(i) : rs.code(people[i]), { point: opts.point })) as Reply<ScanOutcome>;

    for (let i = 0; i < 12; i++) await scanOf(i);
    await scanOf(13);
    await scanOf(15);
    await scanOf(16);
    await scanOf(14);
    await scanOf(0);
    const byId = ok(await scanOf(12, { byId: true }));
    if (byId.kind !== 'added') throw new Error(`expected added, got ${byId.kind}`);
    record(await kiosk.socket.timeout(5000).emitWithAck('member:remove', { key: newKey(), memberId: byId.memberId }));
    await scanOf(12);
    const called = ok(record(await callNext(volunteer)) as Reply<GroupView | null>);
    if (!called) throw new Error('nothing called');
    record(await markAbsent(volunteer, { memberId: called.members[0].id }));
    await scanOf(0);
    await scanOf(1, { point: 'B' });
    const snapshot = await sync(kiosk);
    const audit = await rs.site.server.store['conn'].db
      .selectFrom('audit')
      .select(['role', 'device', 'action', 'subject', 'detail'])
      .where('action', 'like', 'scan%')
      .orderBy('id')
      .execute();
    // Resident uids differ between the two sites: the audit names each by their place in the roster.
    const indexOf = new Map(people.map((p, i) => [parseResidentCode(rs.code(p))!.uid, i]));
    const named = audit.map((a) => ({
      ...a,
      subject: a.subject.replace(/^resident (\S+)$/, (_, uid: string) => `resident #${indexOf.get(uid)}`),
    }));
    return { steps, groups: withoutTimes(snapshot.groups) as GroupView[], counts: snapshot.counts, audit: named };
  } finally {
    await rs.site.close();
  }
}

/** Replies and views carry the moment things happened: equal scripts differ only there. */
function withoutTimes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (['at', 'createdAt', 'calledAt', 'sampledAt'].includes(k) ? undefined : v)));
}

describe.runIf(onPostgres)('the same scans on SQLite and on PostgreSQL', () => {
  it('give the same replies, groups, counts and audit trail', async () => {
    const sqlite = await runScript('sqlite');
    const postgres = await runScript('postgres');
    expect(postgres).toEqual(sqlite);
    // The script covers what it means to: both kinds of group, the undo, the absent person back in line.
    expect(
      sqlite.groups.map(
        (g) => `${g.label} ${g.kind} ${g.state}${g.priority ? ' priority' : ''} ${g.members.map((m) => m.status[0]).join('')}`,
      ),
    ).toEqual([
      'A-001 pooled called aqqqqqqqqq',
      'A-002 pooled forming qqqq',
      'A-003 pooled forming priority qq',
      'A-004 single waiting q',
    ]);
    expect(sqlite.audit.filter((a) => a.subject === 'resident #12').map((a) => a.detail)).toEqual(['A-002 position 3', 'A-002 position 3']);
  }, 60_000);
});
