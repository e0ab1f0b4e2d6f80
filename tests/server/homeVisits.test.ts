import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUNDS_API, type CoverageReport, type HomeSampleResult, type HomeVisit } from '../../shared/roundsApi';
import { BACKENDS } from '../support/backends';
import { newKey } from '../support/testServer';
import { ok as okReply, resident, scan, startSiteWithRoster, type RosterSite } from './helpers';
import { ok, refused } from './roundsHttp';

// A home-sampling team's morning: staff see who must be visited (bedridden, infants, a sealed
// household), add a family that asked, hand the visits to team 一队; the team scans codes at the
// door, samples one person alone and one household in one tube, finds one flat empty.

const bedridden = resident(0, ['bedridden']);
const infant = resident(1, ['infant']);
const sealed = [2, 3, 4].map((i) => resident(i, ['sealed'], { building: '9', unit: '1', room: '301' }));
const asked = resident(5);
const neighbour = resident(6, [], { room: resident(5).room });
const walker = resident(7);
const away = resident(8, ['immobile'], { room: '901' });

describe.each(BACKENDS)('home visits (%s)', (backend) => {
  let rs: RosterSite;
  const visitOf = (list: HomeVisit[], name: string) => list.find((v) => v.name === name)!;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, [bedridden, infant, ...sealed, asked, neighbour, walker, away]);
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  it('lists the tagged people and the sealed household by building and floor', async () => {
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(list.map((v) => [v.name, v.reason]).sort()).toEqual([
      [bedridden.name, 'bedridden'], [infant.name, 'infant'], ...sealed.map((s) => [s.name, 'sealed']), [away.name, 'immobile'],
    ].sort());
    expect(visitOf(list, sealed[0].name)).toMatchObject({ building: '9', floor: '3', household: '9-1-301', status: 'pending', team: null });
    expect(visitOf(list, away.name).floor).toBe('9');
  });

  it('adds a household staff name, and refuses one that does not exist', async () => {
    const added = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisitsAdd, { json: { households: [`1-1-${asked.room}`] } });
    expect(added.map((v) => v.name).sort()).toEqual([asked.name, neighbour.name].sort()); // both live in that flat
    expect(added.every((v) => v.reason === 'staff')).toBe(true);
    const err = await refused(rs.site, ROUNDS_API.homeVisitsAdd, { json: { households: ['1-1-9999'] } });
    expect(err).toMatchObject({ status: 404, code: 'not-found' });
  });

  it('gives visits to a team, whose tablet sees only its own list', async () => {
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    const ids = list.filter((v) => v.name !== infant.name).map((v) => v.id);
    expect(await ok(rs.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: ids, team: '一队' } })).toEqual({ assigned: ids.length });
    const mine = await ok<HomeVisit[]>(rs.site, `${ROUNDS_API.homeVisits}?team=${encodeURIComponent('一队')}`, { role: 'volunteer' });
    expect(mine.map((v) => v.id).sort()).toEqual(ids.sort());
    expect(await refused(rs.site, ROUNDS_API.homeVisits, { role: 'volunteer' })).toMatchObject({ code: 'invalid' });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAssign, { role: 'volunteer', json: { visitIds: ids, team: 'x' } })).toMatchObject({ code: 'forbidden' });
  });

  it('samples a bedridden resident alone and a sealed household in one tube; coverage counts them at once', async () => {
    const display = await rs.site.connect('display');
    const at = await ok<HomeVisit>(rs.site, ROUNDS_API.homeVisitsLookup, { role: 'volunteer', json: { input: rs.code(bedridden) } });
    expect(at).toMatchObject({ name: bedridden.name, status: 'pending' });

    const key = newKey();
    const single = { key, kind: 'single', tubeCode: 'HV0000001', inputs: [rs.code(bedridden)] };
    const first = await ok<HomeSampleResult>(rs.site, ROUNDS_API.homeVisitsSample, { role: 'volunteer', json: single });
    expect(first).toMatchObject({ tubeCode: 'HV0000001', label: 'HOME-001', visitIds: [at.id] });
    // A retry after a lost reply gets the same answer and samples nobody twice.
    expect(await ok(rs.site, ROUNDS_API.homeVisitsSample, { role: 'volunteer', json: single })).toEqual(first);

    const household = await ok<HomeSampleResult>(rs.site, ROUNDS_API.homeVisitsSample, {
      role: 'volunteer', json: { key: newKey(), kind: 'household', tubeCode: 'hv0000002', inputs: sealed.map((s) => rs.code(s)) },
    });
    expect(household).toMatchObject({ tubeCode: 'HV0000002', label: 'HOME-002' });

    const coverage = await ok<CoverageReport>(rs.site, ROUNDS_API.coverage);
    expect(coverage.coverage.total).toMatchObject({ due: 9, sampled: 4 });
    expect(coverage.coverage.buildings.find((b) => b.building === '9')).toMatchObject({ due: 3, sampled: 3, householdsDone: 1 });
    // The hall counts move too, but no home tube is shown on the display.
    await display.untilVersion(2);
    expect(display.changes.at(-1)?.counts.sampled).toBe(4);
    expect(display.changes.flatMap((c) => c.groups)).toEqual([]);
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(visitOf(list, sealed[1].name)).toMatchObject({ status: 'done', tubeCode: 'HV0000002' });
  });

  it('refuses a used tube, a person sampled already, two households in one tube and someone not on the list', async () => {
    const tube = await refused(rs.site, ROUNDS_API.homeVisitsSample, {
      role: 'volunteer', json: { key: newKey(), kind: 'single', tubeCode: 'HV0000001', inputs: [rs.code(infant)] },
    });
    expect(tube).toMatchObject({ code: 'conflict', message: expect.stringContaining('HV0000001') });
    const again = await refused(rs.site, ROUNDS_API.homeVisitsSample, {
      role: 'volunteer', json: { key: newKey(), kind: 'single', tubeCode: 'HV0000009', inputs: [rs.code(sealed[0])] },
    });
    expect(again).toMatchObject({ code: 'conflict', message: expect.stringContaining('already sampled') });
    const mixed = await refused(rs.site, ROUNDS_API.homeVisitsSample, {
      role: 'volunteer', json: { key: newKey(), kind: 'household', tubeCode: 'HV0000009', inputs: [rs.code(infant), rs.code(away)] },
    });
    expect(mixed).toMatchObject({ code: 'invalid', message: expect.stringContaining('one household') });
    const stranger = await refused(rs.site, ROUNDS_API.homeVisitsSample, {
      role: 'volunteer', json: { key: newKey(), kind: 'single', tubeCode: 'HV0000009', inputs: [rs.code(walker)] },
    });
    expect(stranger).toMatchObject({ code: 'conflict', message: expect.stringContaining('not on the home-visit list') });
    const forged = await refused(rs.site, ROUNDS_API.homeVisitsLookup, { role: 'volunteer', json: { input: rs.code(walker).slice(0, -2) + 'AA' } });
    expect(forged.code).toBe('invalid');
    // Nothing of the refused requests was written.
    expect((await ok<CoverageReport>(rs.site, ROUNDS_API.coverage)).coverage.total.sampled).toBe(4);
  });

  it('marks a flat nobody answered as not home, never one already sampled', async () => {
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(await ok(rs.site, ROUNDS_API.homeVisitsNotHome, { role: 'volunteer', json: { visitIds: [visitOf(list, away.name).id] } })).toEqual({ marked: 1 });
    expect(visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), away.name).status).toBe('not-home');
    const done = await refused(rs.site, ROUNDS_API.homeVisitsNotHome, { role: 'volunteer', json: { visitIds: [visitOf(list, bedridden.name).id] } });
    expect(done.code).toBe('conflict');
  });

  it('adds a single resident staff picked, and takes staff additions off again but never a tagged visit', async () => {
    const [one] = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisitsAdd, { json: { residents: [rs.code(walker)] } });
    expect(one).toMatchObject({ name: walker.name, reason: 'staff', status: 'pending' });
    // Bad input is refused whole: nothing named, a forged code, a volunteer.
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAdd, { json: {} })).toMatchObject({ status: 400, code: 'invalid' });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAdd, { json: { residents: [rs.code(walker).slice(0, -2) + 'AA'] } })).toMatchObject({ code: 'invalid' });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAdd, { role: 'volunteer', json: { residents: [rs.code(walker)] } })).toMatchObject({ code: 'forbidden' });

    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    const tagged = await refused(rs.site, ROUNDS_API.homeVisitsRemove, { json: { visitIds: [one.id, visitOf(list, infant.name).id] } });
    expect(tagged).toMatchObject({ code: 'conflict', message: expect.stringContaining('tags') });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRemove, { role: 'volunteer', json: { visitIds: [one.id] } })).toMatchObject({ code: 'forbidden' });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRemove, { json: { visitIds: [999999] } })).toMatchObject({ code: 'not-found' });
    expect(await ok(rs.site, ROUNDS_API.homeVisitsRemove, { json: { visitIds: [one.id] } })).toEqual({ removed: 1 });
    const after = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(after.map((v) => v.name)).not.toContain(walker.name);
    expect(after).toHaveLength(list.length - 1);
  });

  it('puts a "not home" flat back on the list, and the team samples it on the second try', async () => {
    const visit = visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), away.name);
    expect(visit.status).toBe('not-home');
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRequeue, { role: 'volunteer', json: { visitIds: [visit.id] } })).toMatchObject({ code: 'forbidden' });
    expect(await ok(rs.site, ROUNDS_API.homeVisitsRequeue, { json: { visitIds: [visit.id] } })).toEqual({ requeued: 1 });
    expect(visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), away.name).status).toBe('pending');
    // Only a "not home" visit goes back.
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRequeue, { json: { visitIds: [visit.id] } })).toMatchObject({ code: 'conflict' });

    await ok(rs.site, ROUNDS_API.homeVisitsSample, {
      role: 'volunteer', json: { key: newKey(), kind: 'single', tubeCode: 'HV0000003', inputs: [rs.code(away)] },
    });
    expect(visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), away.name)).toMatchObject({ status: 'done', tubeCode: 'HV0000003' });
  });

  it('never takes a sampled visit off the list, even one staff added', async () => {
    await ok(rs.site, ROUNDS_API.homeVisitsSample, {
      role: 'volunteer', json: { key: newKey(), kind: 'single', tubeCode: 'HV0000004', inputs: [rs.code(asked)] },
    });
    const visit = visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), asked.name);
    expect(visit).toMatchObject({ reason: 'staff', status: 'done' });
    const done = await refused(rs.site, ROUNDS_API.homeVisitsRemove, { json: { visitIds: [visit.id] } });
    expect(done).toMatchObject({ code: 'conflict', message: expect.stringContaining('already sampled') });
  });

  it('tells the kiosk a home-sampled resident is already sampled', async () => {
    const kiosk = await rs.site.connect('kiosk');
    const outcome = okReply(await scan(kiosk, rs.code(bedridden)));
    expect(outcome).toMatchObject({ kind: 'duplicate', previous: { point: 'HOME', groupLabel: 'HOME-001' } });
    // The home point is never offered to kiosks.
    expect(kiosk.snapshots[0].points.map((p) => p.code)).toEqual(['A']);
  });
});
