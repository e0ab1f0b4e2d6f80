// Tubes at the kiosk: single-tube and household-tube modes, and tube labels printed by the kiosk.
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply, ScanOutcome, ScanRequest } from '../../shared/protocol';
import type { TubeMode } from '../../shared/tubeModes';
import type { GroupView } from '../../shared/protocol';
import { BACKENDS, type Backend } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import { added, failure, groupAction, groupByLabel, ok, resident, residents, startSiteWithRoster, sync, type RosterSite } from './helpers';

const ORDINARY = residents(0, 12);
// Building 9 is sealed (封控): two households, sampled door to door one household per tube.
const FLAT_501 = [0, 1, 2].map((k) => resident(200 + k, ['sealed'], { building: '9', unit: '1', room: '501' }));
const FLAT_502 = [0, 1].map((k) => resident(210 + k, ['sealed'], { building: '9', unit: '1', room: '502' }));

async function scanIn(l: Listener, input: string, mode?: TubeMode, extra: Partial<ScanRequest> = {}): Promise<Reply<ScanOutcome>> {
  return l.socket.timeout(5000).emitWithAck('scan', { key: newKey(), point: 'A', input, ...(mode ? { mode } : {}), ...extra });
}

async function tubeLabel(l: Listener, groupId: number, key = newKey()): Promise<Reply<GroupView>> {
  return l.socket.timeout(5000).emitWithAck('tube:label', { key, groupId });
}

describe.each(BACKENDS)('tubes at the kiosk (%s)', (backend: Backend) => {
  let rs: RosterSite | undefined;
  afterEach(async () => {
    await rs?.site.close();
    rs = undefined;
  });

  async function open() {
    rs = await startSiteWithRoster(backend, [...ORDINARY, ...FLAT_501, ...FLAT_502]);
    return { rs, kiosk: await rs.site.connect('kiosk', 'kiosk-1') };
  }

  it('gives everyone scanned in single-tube mode a tube of their own, leaving the pooled group as it was', async () => {
    const { rs, kiosk } = await open();
    const pooled = added(await scanIn(kiosk, rs.code(ORDINARY[0])));
    const singles = [];
    for (const p of ORDINARY.slice(1, 4)) singles.push(added(await scanIn(kiosk, rs.code(p), 'single')));
    const after = added(await scanIn(kiosk, rs.code(ORDINARY[4]), 'pooled'));

    expect(singles.map((s) => [s.group.poolSize, s.group.position, s.full])).toEqual([
      [1, 1, true],
      [1, 1, true],
      [1, 1, true],
    ]);
    expect(new Set(singles.map((s) => s.group.id)).size).toBe(3);
    expect(after.group).toMatchObject({ id: pooled.group.id, position: 2 });
    const groups = (await sync(kiosk)).groups;
    for (const s of singles) expect(groupByLabel(groups, s.group.label)).toMatchObject({ kind: 'single', state: 'waiting', poolSize: 1 });
    expect(groupByLabel(groups, pooled.group.label)).toMatchObject({ kind: 'pooled', state: 'forming' });
  });

  it('puts one household in one tube door to door, closing it when the next household is scanned', async () => {
    const { rs, kiosk } = await open();
    // At the point, sealed-building people are sent home; at the door (household mode) they are sampled.
    expect(ok(await scanIn(kiosk, rs.code(FLAT_501[0])))).toMatchObject({ kind: 'routed', route: 'home' });

    const flat501 = [];
    for (const p of FLAT_501) flat501.push(added(await scanIn(kiosk, rs.code(p), 'household')));
    expect(flat501.map((a) => a.group.position)).toEqual([1, 2, 3]);
    expect(new Set(flat501.map((a) => a.group.id)).size).toBe(1);

    // An ordinary pooled scan meanwhile does not join the household's tube.
    const ordinary = added(await scanIn(kiosk, rs.code(ORDINARY[0])));
    expect(ordinary.group.id).not.toBe(flat501[0].group.id);

    const flat502 = [];
    for (const p of FLAT_502) flat502.push(added(await scanIn(kiosk, rs.code(p), 'household')));
    expect(flat502.map((a) => a.group.position)).toEqual([1, 2]);
    expect(flat502[0].group.id).not.toBe(flat501[0].group.id);

    let groups = (await sync(kiosk)).groups;
    expect(groupByLabel(groups, flat501[0].group.label)).toMatchObject({ state: 'waiting', kind: 'pooled' });
    expect(groupByLabel(groups, flat501[0].group.label).members).toHaveLength(3);
    expect(groupByLabel(groups, flat502[0].group.label)).toMatchObject({ state: 'forming' });

    // The last household's tube is closed on demand, then opened and sealed as any group.
    ok(await groupAction(kiosk, { groupId: flat502[0].group.id, action: 'close' }));
    ok(await groupAction(kiosk, { groupId: flat502[0].group.id, action: 'start', tubeCode: 'HOME-502-01' }));
    const sealed = ok(await groupAction(kiosk, { groupId: flat502[0].group.id, action: 'seal' }));
    expect(sealed).toMatchObject({ state: 'sampled', tubeCode: 'HOME-502-01' });
    expect(sealed.members.map((m) => m.status)).toEqual(['sampled', 'sampled']);

    // Scanned again in household mode, a member of 501 is a duplicate, not a second tube.
    expect(ok(await scanIn(kiosk, rs.code(FLAT_501[1]), 'household')).kind).toBe('duplicate');
    groups = (await sync(kiosk)).groups;
    expect(groups.filter((g) => g.members.length > 0)).toHaveLength(3);
  });

  it('labels a tube with a code the server makes, leaving the group in the queue until it is called, and never lets that code be used twice', async () => {
    const { rs, kiosk } = await open();
    const first = added(await scanIn(kiosk, rs.code(ORDINARY[0]), 'single'));
    const second = added(await scanIn(kiosk, rs.code(ORDINARY[1]), 'single'));

    const key = newKey();
    const labelled = ok(await tubeLabel(kiosk, first.group.id, key));
    // The label records the tube only: the group still waits to be called (the hall TV calls it).
    expect(labelled.state).toBe('waiting');
    expect(labelled.tubeCode).toMatch(/^NQT-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(groupByLabel((await sync(kiosk)).groups, first.group.label)).toMatchObject({ state: 'waiting', tubeCode: labelled.tubeCode });
    // The kiosk retrying the same request (a lost reply), or printing the label again, gets the same tube.
    expect(ok(await tubeLabel(kiosk, first.group.id, key)).tubeCode).toBe(labelled.tubeCode);
    expect(ok(await tubeLabel(kiosk, first.group.id)).tubeCode).toBe(labelled.tubeCode);

    const reused = failure(await groupAction(kiosk, { groupId: second.group.id, action: 'start', tubeCode: labelled.tubeCode! }));
    expect(reused.code).toBe('conflict');
    expect(reused).toMatchObject({ reason: 'tube.used', params: { group: first.group.label } });

    // Called from the queue, it is sampled in the labelled tube without scanning it again.
    const volunteer = await rs.site.connect('volunteer');
    expect(ok(await groupAction(volunteer, { groupId: first.group.id, action: 'call' })).state).toBe('called');
    expect(ok(await groupAction(kiosk, { groupId: first.group.id, action: 'start' }))).toMatchObject({
      state: 'sampling',
      tubeCode: labelled.tubeCode,
    });

    const other = ok(await tubeLabel(kiosk, second.group.id));
    expect(other.tubeCode).not.toBe(labelled.tubeCode);
    // A group already being sampled gets no second label.
    expect(failure(await tubeLabel(kiosk, first.group.id)).code).toBe('conflict');
    expect(ok(await groupAction(kiosk, { groupId: first.group.id, action: 'seal' })).state).toBe('sampled');
  });

  it('refuses a tube mode it does not know, and a label for a group that does not exist', async () => {
    const { rs, kiosk } = await open();
    const bad = failure(await scanIn(kiosk, rs.code(ORDINARY[0]), 'family' as TubeMode));
    expect(bad.code).toBe('invalid');
    expect(bad).toMatchObject({ reason: 'request.invalid', params: { fields: 'mode' } });
    expect(failure(await tubeLabel(kiosk, 99999)).code).toBe('not-found');
    const display = await rs.site.connect('display');
    expect(failure(await tubeLabel(display, 1)).code).toBe('forbidden');
    // Nothing was placed by the refused scan.
    expect((await sync(kiosk)).counts.registered).toBe(0);
  });
});
