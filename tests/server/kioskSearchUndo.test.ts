// The kiosk without a code and after a mistake: a sampler finds an elderly resident by room, name or
// pinyin initials and adds them; a wrongly added person is taken out again before the tube is opened.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { removalRule } from '../../shared/memberRemove';
import type { ApiError, GroupView, Reply } from '../../shared/protocol';
import {
  RESIDENT_SEARCH_PATH,
  SEARCH_LIMIT,
  SEARCHES_PER_MINUTE,
  nameInitials,
  parseSearchQuery,
  type ResidentSearchHit,
} from '../../shared/residentSearch';
import type { Role } from '../../shared/roles';
import { BACKENDS, type Backend } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import {
  added,
  failure,
  groupAction,
  idNumberOf,
  ok,
  resident,
  residents,
  scan,
  scanAll,
  settled,
  startSiteWithRoster,
  sync,
  type RosterSite,
} from './helpers';

const ORDINARY = residents(0, 30);
/** People for the stories that fill a group of ten, so no story scans someone another already placed. */
const FILLERS = residents(70, 30);
const ZHANG_SANFENG = resident(50, [], { name: '张三丰', building: '3', unit: '2', room: '501' });
const OUYANG = resident(51, [], { name: '欧阳娜娜', building: '5', unit: '', room: '501' });
const SHAN = resident(52, [], { name: '单雄信', building: '3', unit: '2', room: '502' });
const QUARANTINED = resident(53, ['quarantine'], { building: '3', unit: '1', room: '101' });
const EVERYONE = [...ORDINARY, ...FILLERS, ZHANG_SANFENG, OUYANG, SHAN, QUARANTINED];

describe('search queries and initials', () => {
  it('reads a room, pinyin initials or a name from what the sampler types', () => {
    expect(parseSearchQuery('3-2-501')).toEqual({ kind: 'room', parts: ['3', '2', '501'] });
    expect(parseSearchQuery(' 3-501 ')).toEqual({ kind: 'room', parts: ['3', '501'] });
    expect(parseSearchQuery('３－２－５')).toEqual({ kind: 'room', parts: ['3', '2', '5'] });
    expect(parseSearchQuery('ZSF')).toEqual({ kind: 'initials', initials: 'zsf' });
    expect(parseSearchQuery('三丰')).toEqual({ kind: 'name', text: '三丰' });
    expect(parseSearchQuery('%_')).toBeNull();
    expect(parseSearchQuery('')).toBeNull();
    expect(parseSearchQuery('x'.repeat(41))).toBeNull();
  });

  it('refuses a query too vague to search: one character, a room without its building', () => {
    for (const q of ['张', 'z', 'Z', '5', '501', '3-', '３', '%张']) expect(parseSearchQuery(q), q).toBeNull();
    expect(parseSearchQuery('张三')).toEqual({ kind: 'name', text: '张三' });
    expect(parseSearchQuery('zs')).toEqual({ kind: 'initials', initials: 'zs' });
    expect(parseSearchQuery('3-2')).toEqual({ kind: 'room', parts: ['3', '2'] });
  });

  it('takes initials from pinyin, with surnames read as surnames', () => {
    expect(nameInitials('张三丰')).toBe('zsf');
    expect(nameInitials('单雄信')).toBe('sxx');
    expect(nameInitials('欧阳娜娜')).toBe('oynn');
  });
});

describe('which groups an undo may change', () => {
  it('keeps a forming group forming, reopens a just-filled one, and never touches a called or single-tube group', () => {
    expect(removalRule({ state: 'forming', kind: 'pooled' }, 0, false)).toEqual({ ok: true, state: 'forming' });
    expect(removalRule({ state: 'waiting', kind: 'pooled' }, 9, false)).toEqual({ ok: true, state: 'forming' });
    expect(removalRule({ state: 'waiting', kind: 'pooled' }, 9, true)).toEqual({ ok: true, state: 'waiting' });
    expect(removalRule({ state: 'waiting', kind: 'pooled' }, 0, true)).toEqual({ ok: false, reason: 'would-be-empty' });
    expect(removalRule({ state: 'called', kind: 'pooled' }, 9, false)).toEqual({ ok: false, reason: 'state' });
    expect(removalRule({ state: 'sampled', kind: 'pooled' }, 9, false)).toEqual({ ok: false, reason: 'state' });
    expect(removalRule({ state: 'waiting', kind: 'single' }, 0, false)).toEqual({ ok: false, reason: 'single-tube' });
  });
});

describe.each(BACKENDS)('kiosk search and undo (%s)', (backend: Backend) => {
  let rs: RosterSite;
  let kiosk: Listener;
  let display: Listener;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, EVERYONE);
    [kiosk, display] = await Promise.all([rs.site.connect('kiosk', 'kiosk-1'), rs.site.connect('display')]);
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  /**
   * Devices are told apart by address, and the whole of 127/8 is this machine: each search below
   * comes from a desk of its own (so the per-device limit stays out of these stories) unless a
   * test names the desk.
   */
  let desks = 10;
  async function search(
    q: string,
    role: Role | null = 'kiosk',
    from = `127.0.0.${desks++}`,
  ): Promise<{ status: number; body: ResidentSearchHit[] & { error?: ApiError } }> {
    const headers: Record<string, string> = role ? { authorization: `Bearer ${await rs.site.token(role)}` } : {};
    const url = new URL(`${rs.site.url}${RESIDENT_SEARCH_PATH}?q=${encodeURIComponent(q)}`);
    return new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: url.port, path: url.pathname + url.search, headers, localAddress: from }, (res) => {
          let text = '';
          res
            .setEncoding('utf8')
            .on('data', (chunk: string) => {
              text += chunk;
            })
            .on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        })
        .on('error', reject);
    });
  }
  const names = async (q: string) => {
    const { status, body } = await search(q);
    expect(status).toBe(200);
    return body.map((h) => h.name).sort();
  };

  /** The audit trail, read straight from the database. */
  const auditRows = (action: string) =>
    rs.site.server.store['conn'].db.selectFrom('audit').selectAll().where('action', '=', action).orderBy('id').execute();

  /** Withdraws a group another story left forming at point A, so this story's first scan starts one. */
  async function startAfresh(): Promise<void> {
    for (const g of (await sync(kiosk)).groups) {
      if (g.kind === 'pooled' && g.state === 'forming' && g.point === 'A')
        ok(await groupAction(kiosk, { groupId: g.id, action: 'cancel' }));
    }
  }

  async function remove(memberId: number, key = newKey(), by: Listener = kiosk): Promise<Reply<GroupView>> {
    return by.socket.timeout(5000).emitWithAck('member:remove', { key, memberId });
  }

  it('finds a resident by room, by name and by pinyin initials, with the ID number masked', async () => {
    expect(await names('3-2-501')).toEqual(['张三丰']);
    expect(await names('3-2-50')).toEqual(['单雄信', '张三丰']);
    expect(await names('5-501')).toEqual(['欧阳娜娜']);
    expect(await names('3-501')).toEqual(['张三丰']);
    expect(await names('三丰')).toEqual(['张三丰']);
    expect(await names('zsf')).toEqual(['张三丰']);
    expect(await names('SXX')).toEqual(['单雄信']);
    expect(await names('oyn')).toEqual(['欧阳娜娜']);

    const [hit] = (await search('zsf')).body;
    expect(hit).toMatchObject({ household: '3-2-501', tags: [] });
    expect(hit.maskedIdNumber).not.toBe(ZHANG_SANFENG.idNumber);
    expect(hit.maskedIdNumber).toContain('*');
    expect(JSON.stringify(hit)).not.toContain(ZHANG_SANFENG.idNumber);
    expect(JSON.stringify(hit)).not.toContain(ZHANG_SANFENG.phone);
  });

  it(`stops at ${SEARCH_LIMIT} results for a vague query`, async () => {
    expect((await search('1-1')).body).toHaveLength(SEARCH_LIMIT);
  });

  it('refuses one character or a room without its building, saying what to type', async () => {
    for (const q of ['张', 'z', '501']) {
      const { status, body } = await search(q);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'invalid', reason: 'search.too-short' });
    }
  });

  it('refuses a device that searches more than a desk ever needs; another desk still searches', async () => {
    const desk = '127.0.0.200';
    let found = 0;
    let refusal: ApiError | undefined;
    // A minute's allowance, then the refusal (the bound leaves room for a window that ends on a slow machine).
    for (let i = 0; i < 3 * SEARCHES_PER_MINUTE && !refusal; i++) {
      const { status, body } = await search('3-2', 'kiosk', desk);
      if (status === 200) found++;
      else refusal = body.error;
    }
    expect(found).toBeGreaterThanOrEqual(SEARCHES_PER_MINUTE);
    expect(refusal).toMatchObject({ code: 'rate-limited', reason: 'search.too-many', retryAfterMs: expect.any(Number) });
    expect((await search('3-2', 'kiosk', '127.0.0.201')).status).toBe(200);
  });

  it('writes each search to the audit trail with the query masked: no name, no ID number', async () => {
    const desk = '127.0.0.202';
    expect(await names('三丰')).toEqual(['张三丰']);
    await search('zsf', 'kiosk', desk);
    const rows = await auditRows('resident:search');
    expect(rows.find((r) => r.device === desk)).toMatchObject({ role: 'kiosk', subject: 'initials', detail: 'z**: 1 found' });
    expect(rows.some((r) => r.subject === 'name' && r.detail === '三*: 1 found')).toBe(true);
    const text = JSON.stringify(rows);
    for (const p of EVERYONE) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.idNumber);
    }
    expect(text).not.toContain('三丰');
  });

  it('refuses an empty or overlong query and anyone but the kiosk or staff', async () => {
    expect((await search('')).status).toBe(400);
    expect((await search('%%')).status).toBe(400);
    expect((await search('3'.repeat(41))).status).toBe(400);
    expect((await search('zsf', 'staff')).status).toBe(200);
    expect((await search('zsf', 'volunteer')).status).toBe(403);
    expect((await search('zsf', null)).status).toBe(401);
  });

  it('keeps initials current when the roster renames someone', async () => {
    const renamed = { ...resident(60), name: '赵六', idNumber: idNumberOf(60) };
    const before = await rs.site.importRoster(rosterCsv([{ ...renamed, name: '李四' }]));
    expect(before.body.added).toBe(1);
    expect(await names('ls')).toContain('李四');
    const after = await rs.site.importRoster(rosterCsv([renamed]));
    expect(after.body.updated).toBe(1);
    expect(await names('zl')).toContain('赵六');
    expect(await names('ls')).not.toContain('李四');
  });

  it('adds a searched resident with the code the search returned, as if scanned', async () => {
    const [hit] = (await search('3-2-502')).body;
    const outcome = added(await scan(kiosk, hit.code));
    expect(outcome.resident.name).toBe('单雄信');
    // Undo at once: a search adds nobody for good.
    ok(await remove(outcome.memberId));
  });

  it('takes a wrongly added person out of a forming group, renumbers the rest, audits it, and lets them be scanned again', async () => {
    const people = ORDINARY.slice(0, 3);
    await startAfresh();
    const registered = (await sync(kiosk)).counts.registered;
    const placed = await scanAll(
      kiosk,
      people.map((p) => rs.code(p)),
    );
    expect(placed.map((p) => p.group.position)).toEqual([1, 2, 3]);
    const group = placed[0].group;

    const view = ok(await remove(placed[1].memberId));
    expect(view).toMatchObject({ label: group.label, state: 'forming' });
    expect(view.members.map((m) => m.position)).toEqual([1, 2]);
    expect(view.members.map((m) => m.id)).toEqual([placed[0].memberId, placed[2].memberId]);

    const audit = await auditRows('member:remove');
    expect(audit.at(-1)).toMatchObject({
      role: 'kiosk',
      device: 'kiosk-1',
      subject: group.label,
      detail: expect.stringMatching(/^resident \S+ position 2$/),
    });
    // The trail names the resident by their random uid, never by name or ID number.
    expect(JSON.stringify(audit)).not.toContain(people[1].name);

    const again = added(await scan(kiosk, rs.code(people[1])));
    expect(again.group).toMatchObject({ id: group.id, position: 3 });
    await settled(display);
    const shown = (await sync(display)).groups.find((g) => g.id === group.id);
    expect(shown?.members.map((m) => m.position)).toEqual([1, 2, 3]);
    expect((await sync(display)).counts.registered).toBe(registered + 3);

    for (const p of [placed[0], placed[2], again]) ok(await remove(p.memberId));
    expect((await sync(kiosk)).counts.registered).toBe(registered);
  });

  it('answers a repeated undo with the first reply and audits it once', async () => {
    const placed = added(await scan(kiosk, rs.code(ORDINARY[5])));
    const before = (await auditRows('member:remove')).length;
    const key = newKey();
    const first = ok(await remove(placed.memberId, key));
    const second = ok(await remove(placed.memberId, key));
    expect(second).toEqual(first);
    expect(await auditRows('member:remove')).toHaveLength(before + 1);
    expect(failure(await remove(placed.memberId)).code).toBe('not-found');
  });

  it('reopens a group whose wrong tenth scan is undone, so the right person takes place 10', async () => {
    await startAfresh();
    const ten = await scanAll(
      kiosk,
      FILLERS.slice(0, 10).map((p) => rs.code(p)),
    );
    expect(ten[9].full).toBe(true);
    const view = ok(await remove(ten[9].memberId));
    expect(view.state).toBe('forming');
    expect(view.members).toHaveLength(9);

    const right = added(await scan(kiosk, rs.code(FILLERS[10])));
    expect(right.group).toMatchObject({ id: view.id, position: 10 });
    expect(right.full).toBe(true);
  });

  it('keeps a full group waiting, one short, once the next group has started', async () => {
    await startAfresh();
    const ten = await scanAll(
      kiosk,
      ORDINARY.slice(11, 21).map((p) => rs.code(p)),
    );
    const next = added(await scan(kiosk, rs.code(ORDINARY[21])));
    expect(next.group.id).not.toBe(ten[0].group.id);

    // Already ticked off at the hall door: the undo takes the tick with it.
    const volunteer = await rs.site.connect('volunteer', 'tablet-0');
    ok(await volunteer.socket.timeout(5000).emitWithAck('member:present', { key: newKey(), memberId: ten[3].memberId, present: true }));

    const view = ok(await remove(ten[3].memberId));
    expect(view.state).toBe('waiting');
    expect(view.members.map((m) => m.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const forming = (await sync(kiosk)).groups.filter((g) => g.state === 'forming' && g.point === 'A');
    expect(forming.map((g) => g.id)).toEqual([next.group.id]);
  });

  it('cannot undo once the group is called, sampling or sealed', async () => {
    const volunteer = await rs.site.connect('volunteer', 'tablet-1');
    await startAfresh();
    const ten = await scanAll(
      kiosk,
      FILLERS.slice(11, 21).map((p) => rs.code(p)),
    );
    expect(ten[9].full).toBe(true);
    const called = ok(await groupAction(volunteer, { groupId: ten[0].group.id, action: 'call' }));
    const member = called.members[0].id;
    expect(failure(await remove(member)).code).toBe('conflict');

    ok(await groupAction(kiosk, { groupId: called.id, action: 'start', tubeCode: 'TUBE-0001' }));
    expect(failure(await remove(member)).code).toBe('conflict');
    ok(await groupAction(kiosk, { groupId: called.id, action: 'seal' }));
    const refused = failure(await remove(member));
    expect(refused.code).toBe('conflict');
    expect(refused).toMatchObject({ reason: 'member.remove-called', params: { state: 'sampled' } });

    const after = (await sync(kiosk)).groups.find((g) => g.id === called.id);
    expect(after?.members).toHaveLength(10);
    expect(after?.state).toBe('sampled');
  });

  it('leaves single tubes to the staff and refuses volunteers and bad requests', async () => {
    const single = ok(await scan(kiosk, rs.code(QUARANTINED)));
    if (single.kind !== 'routed' || single.route !== 'single-tube') throw new Error(`expected a single tube, got ${single.kind}`);
    const view = (await sync(kiosk)).groups.find((g) => g.id === single.group.id);
    expect(failure(await remove(view!.members[0].id)).code).toBe('conflict');

    const volunteer = await rs.site.connect('volunteer', 'tablet-2');
    const placed = added(await scan(kiosk, rs.code(ORDINARY[25])));
    expect(failure(await remove(placed.memberId, newKey(), volunteer)).code).toBe('forbidden');
    const raw = kiosk.socket as unknown as { timeout(ms: number): { emitWithAck(ev: string, p: unknown): Promise<Reply<unknown>> } };
    expect(failure(await raw.timeout(5000).emitWithAck('member:remove', { key: newKey(), memberId: 'seven' })).code).toBe('invalid');
    // Nothing was lost: the person is still in their group.
    const still = (await sync(kiosk)).groups.find((g) => g.id === placed.group.id);
    expect(still?.members.map((m) => m.id)).toContain(placed.memberId);
  });
});
