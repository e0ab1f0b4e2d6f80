// A group's life: forming → waiting → called → sampling → sampled, driven by kiosks and volunteers.
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupView } from '../../shared/protocol';
import { BACKENDS, type Backend } from '../support/backends';
import type { Listener } from '../support/testServer';
import {
  added,
  callNext,
  emitRaw,
  failure,
  groupAction,
  markAbsent,
  ok,
  residents,
  scan,
  scanAll,
  settled,
  startSiteWithRoster,
  sync,
  type RosterSite,
} from './helpers';

const ORDINARY = residents(0, 40);
const GREEN = residents(100, 6, ['elderly']);

interface Queue {
  rs: RosterSite;
  kiosk: Listener;
  volunteer: Listener;
  display: Listener;
  /** Scans these people at the kiosk; returns the labels of the groups they went to. */
  scanPeople(people: typeof ORDINARY): Promise<string[]>;
  /** Scans people and closes their group early: one small waiting group. */
  smallGroup(people: typeof ORDINARY): Promise<GroupView>;
}

describe.each(BACKENDS)('a group from forming to sampled (%s)', (backend: Backend) => {
  let rs: RosterSite | undefined;
  afterEach(async () => {
    await rs?.site.close();
    rs = undefined;
  });

  async function openQueue(): Promise<Queue> {
    rs = await startSiteWithRoster(backend, [...ORDINARY, ...GREEN]);
    const site = rs;
    const [kiosk, volunteer, display] = await Promise.all([
      site.site.connect('kiosk', 'kiosk-1'),
      site.site.connect('volunteer', 'tablet-1'),
      site.site.connect('display'),
    ]);
    const scanPeople = async (people: typeof ORDINARY) =>
      (
        await scanAll(
          kiosk,
          people.map((p) => site.code(p)),
        )
      ).map((a) => a.group.label);
    return {
      rs: site,
      kiosk,
      volunteer,
      display,
      scanPeople,
      async smallGroup(people) {
        const placed = added(await scan(kiosk, site.code(people[0])));
        await scanPeople(people.slice(1));
        return ok(await groupAction(kiosk, { groupId: placed.group.id, action: 'close' }));
      },
    };
  }

  const groupNamed = async (l: Listener, label: string) => {
    const g = (await sync(l)).groups.find((x) => x.label === label);
    if (!g) throw new Error(`no group ${label}`);
    return g;
  };

  it('lets the kiosk close a part-filled group early: it joins the queue and the next person starts a new group', async () => {
    const q = await openQueue();
    expect(await q.scanPeople(ORDINARY.slice(0, 3))).toEqual(['A-001', 'A-001', 'A-001']);
    const a1 = await groupNamed(q.kiosk, 'A-001');
    expect(a1.state).toBe('forming');

    const closed = ok(await groupAction(q.kiosk, { groupId: a1.id, action: 'close' }));
    expect(closed).toMatchObject({ label: 'A-001', state: 'waiting', poolSize: 10 });
    expect(closed.members).toHaveLength(3);
    expect((await sync(q.display)).counts.waitingGroups).toBe(1);

    expect(added(await scan(q.kiosk, q.rs.code(ORDINARY[3]))).group).toMatchObject({ label: 'A-002', position: 1 });
    // Already in the queue: it cannot be closed twice.
    expect(failure(await groupAction(q.kiosk, { groupId: a1.id, action: 'close' })).code).toBe('conflict');
  });

  it('has the volunteer call the oldest waiting group, green-channel groups first', async () => {
    const q = await openQueue();
    expect(new Set(await q.scanPeople(ORDINARY.slice(0, 10)))).toEqual(new Set(['A-001']));
    const green = await q.smallGroup(GREEN.slice(0, 2));
    expect(green).toMatchObject({ label: 'A-002', priority: true, state: 'waiting' });
    expect(new Set(await q.scanPeople(ORDINARY.slice(10, 20)))).toEqual(new Set(['A-003']));
    expect((await sync(q.display)).counts.waitingGroups).toBe(3);

    const called: (string | undefined)[] = [];
    for (let k = 0; k < 4; k++) called.push(ok(await callNext(q.volunteer))?.label);
    expect(called).toEqual(['A-002', 'A-001', 'A-003', undefined]);

    const { groups, counts } = await sync(q.display);
    expect(groups.map((g) => [g.label, g.state, g.calledAt !== null])).toEqual([
      ['A-001', 'called', true],
      ['A-002', 'called', true],
      ['A-003', 'called', true],
    ]);
    expect(counts.waitingGroups).toBe(0);
  });

  it('gives two volunteers calling at the same moment two different groups', async () => {
    const q = await openQueue();
    const second = await q.rs.site.connect('volunteer', 'tablet-2');
    for (let k = 0; k < 4; k++) await q.smallGroup(ORDINARY.slice(2 * k, 2 * k + 2));

    const calls = await Promise.all([callNext(q.volunteer), callNext(second), callNext(q.volunteer), callNext(second)]);
    const labels = calls.map((c) => ok(c)?.label);
    expect([...labels].sort()).toEqual(['A-001', 'A-002', 'A-003', 'A-004']);
    expect(ok(await callNext(second))).toBeNull();
    expect((await sync(q.display)).groups.every((g) => g.state === 'called')).toBe(true);
  });

  it('lets a volunteer recall a group that did not come: it is back in the queue and called again first', async () => {
    const q = await openQueue();
    const a1 = await q.smallGroup(ORDINARY.slice(0, 2));
    await q.smallGroup(ORDINARY.slice(2, 4));
    expect(ok(await callNext(q.volunteer))?.label).toBe('A-001');

    // Only volunteers (and staff) recall; only a called group can be recalled.
    expect(failure(await groupAction(q.kiosk, { groupId: a1.id, action: 'recall' })).code).toBe('forbidden');
    const recalled = ok(await groupAction(q.volunteer, { groupId: a1.id, action: 'recall' }));
    expect(recalled).toMatchObject({ label: 'A-001', state: 'waiting' });
    expect(failure(await groupAction(q.volunteer, { groupId: a1.id, action: 'recall' })).code).toBe('conflict');

    expect(ok(await callNext(q.volunteer))?.label).toBe('A-001');
    expect(ok(await callNext(q.volunteer))?.label).toBe('A-002');
  });

  it('samples a group: the tube code is required and unique, sealing marks everyone sampled', async () => {
    const q = await openQueue();
    await q.scanPeople(ORDINARY.slice(0, 14));
    const [a1, a2] = (await sync(q.kiosk)).groups;
    ok(await callNext(q.volunteer));

    const missing = failure(await groupAction(q.kiosk, { groupId: a1.id, action: 'start' }));
    expect(missing).toMatchObject({ code: 'invalid', reason: 'tube.code-missing' });
    const started = ok(await groupAction(q.kiosk, { groupId: a1.id, action: 'start', tubeCode: 'TB-20250001' }));
    expect(started).toMatchObject({ state: 'sampling', tubeCode: 'TB-20250001' });

    // The same tube scanned for another group (typed in lower case, with a stray space).
    await groupAction(q.kiosk, { groupId: a2.id, action: 'close' });
    const reused = failure(await groupAction(q.kiosk, { groupId: a2.id, action: 'start', tubeCode: ' tb-20250001' }));
    expect(reused).toMatchObject({ code: 'conflict', reason: 'tube.used', params: { group: 'A-001' } });
    expect((await groupNamed(q.kiosk, 'A-002')).state).toBe('waiting');

    const before = await settled(q.display);
    const sealed = ok(await groupAction(q.kiosk, { groupId: a1.id, action: 'seal' }));
    expect(sealed.state).toBe('sampled');
    expect(sealed.sampledAt).not.toBeNull();
    expect(sealed.members.map((m) => m.status)).toEqual(Array(10).fill('sampled'));
    await settled(q.display);
    const change = q.display.changes.find((c) => c.version === before + 1);
    expect(change?.counts).toEqual({ registered: 14, sampled: 10, waitingGroups: 1 });
    expect(change?.groups.map((g) => [g.label, g.state])).toEqual([['A-001', 'sampled']]);

    // A sealed group is done.
    expect(failure(await groupAction(q.kiosk, { groupId: a1.id, action: 'seal' })).code).toBe('conflict');
    expect(ok(await groupAction(q.kiosk, { groupId: a2.id, action: 'start', tubeCode: 'TB-20250002' })).state).toBe('sampling');
  });

  it('marks a called member absent, freeing them to be scanned again later into a new group', async () => {
    const q = await openQueue();
    await q.scanPeople(ORDINARY.slice(0, 10));
    const a1 = ok(await callNext(q.volunteer))!;
    const missing = a1.members.find((m) => m.position === 4)!;

    const after = ok(await markAbsent(q.volunteer, { memberId: missing.id }));
    expect(after.members.find((m) => m.id === missing.id)?.status).toBe('absent');
    expect(after.members.filter((m) => m.status === 'queued')).toHaveLength(9);
    expect((await sync(q.display)).counts.registered).toBe(9);
    expect(failure(await markAbsent(q.volunteer, { memberId: missing.id })).code).toBe('conflict');

    // They turn up later and are queued again, in a new group.
    const again = added(await scan(q.kiosk, q.rs.code(ORDINARY[3])));
    expect(again.group).toMatchObject({ label: 'A-002', position: 1 });
    expect((await sync(q.display)).counts.registered).toBe(10);
    // Only once, though.
    expect(ok(await scan(q.kiosk, q.rs.code(ORDINARY[3])))).toMatchObject({ kind: 'duplicate', previous: { groupLabel: 'A-002' } });

    // A-001 is sampled without them: nine sampled, the absent one still absent.
    ok(await groupAction(q.kiosk, { groupId: a1.id, action: 'start', tubeCode: 'TB-30000001' }));
    const sealed = ok(await groupAction(q.kiosk, { groupId: a1.id, action: 'seal' }));
    expect(sealed.members.map((m) => m.status).sort()).toEqual(['absent', ...Array(9).fill('sampled')]);
    expect((await sync(q.display)).counts).toMatchObject({ registered: 10, sampled: 9 });
    // Nobody can be marked absent in a group still forming.
    const a2 = await groupNamed(q.kiosk, 'A-002');
    expect(failure(await markAbsent(q.volunteer, { memberId: a2.members[0].id })).code).toBe('conflict');
  });

  it('refuses requests from the wrong role and writes nothing', async () => {
    const q = await openQueue();
    await q.scanPeople(ORDINARY.slice(0, 10));
    const a1 = ok(await callNext(q.volunteer))!;
    ok(await groupAction(q.kiosk, { groupId: a1.id, action: 'start', tubeCode: 'TB-40000001' }));
    const before = await sync(q.display);

    const refusals = [
      await emitRaw(q.display, 'scan', { key: 'display-scan-1', point: 'A', input: q.rs.code(ORDINARY[20]) }),
      await emitRaw(q.display, 'group:action', { key: 'display-close-1', groupId: a1.id, action: 'seal' }),
      await emitRaw(q.volunteer, 'scan', { key: 'volunteer-scan-1', point: 'A', input: q.rs.code(ORDINARY[21]) }),
      await groupAction(q.volunteer, { groupId: a1.id, action: 'seal' }),
      await callNext(q.kiosk),
      await emitRaw(q.display, 'group:call-next', { key: 'display-call-1', point: 'A' }),
      await emitRaw(q.display, 'member:absent', { key: 'display-absent', memberId: a1.members[0].id }),
    ];
    for (const reply of refusals) expect(failure(reply).code).toBe('forbidden');

    expect(await sync(q.display)).toEqual(before);
    // The person the display tried to scan was never queued.
    expect(added(await scan(q.kiosk, q.rs.code(ORDINARY[20]))).group.label).toBe('A-002');
  });
});
