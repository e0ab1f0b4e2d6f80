import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxPath, LAB_API, type BoxView, type LabOverview, type OwnResult, type ResultsReport, type RetestList } from '../../shared/labApi';
import { ROUNDS_API, type CoverageReport, type HomeVisit } from '../../shared/roundsApi';
import { BACKENDS } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import { added, groupAction, ok as okReply, resident, scan, startSiteWithRoster, type RosterSite } from './helpers';
import { createTeam, ok, refused } from './roundsHttp';

// Home tubes travel like kiosk tubes: a sealed household's tube is boxed, handed over, received
// and cleared by the lab with a kiosk pool. The kiosk pool is positive; one of its members is
// bedridden since, so staff send her to home sampling, and the team's single tube is her retest.
// Each story uses its own people, pool and tube codes, so either may run first.

const sealed = [0, 1, 2].map((i) => resident(i, ['sealed'], { building: '9', unit: '1', room: '301' }));
const walkers = [3, 4, 5].map((i) => resident(i));
/** A second kiosk pool, found positive for the retest story. */
const retested = [6, 7, 8].map((i) => resident(i));

describe.each(BACKENDS)('home tubes to the lab (%s)', (backend) => {
  let rs: RosterSite;
  let kiosk: Listener;
  /** Team 一队's link: the team samples the sealed household and, later, the retest. */
  let team: string;

  async function importResults(csv: string): Promise<ResultsReport> {
    const res = await fetch(rs.site.url + LAB_API.resultsImport, {
      method: 'POST',
      body: Buffer.from(csv),
      headers: { authorization: `Bearer ${await rs.site.token('staff')}`, 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ResultsReport;
  }
  /** Tubes into a new box, closed, signed for by the courier and counted in at the lab. */
  async function toLab(box: string, tubeCodes: string[]): Promise<BoxView> {
    await ok(rs.site, LAB_API.boxes, { json: { code: box } });
    for (const tubeCode of tubeCodes) await ok(rs.site, boxPath(LAB_API.boxTubes, box), { json: { tubeCode } });
    await ok(rs.site, boxPath(LAB_API.boxClose, box), { json: {} });
    await ok(rs.site, boxPath(LAB_API.boxHandOver, box), { json: { name: '李师傅', phone: '13800001111' } });
    return ok<BoxView>(rs.site, boxPath(LAB_API.boxReceive, box), { json: { receiver: '王医生', count: tubeCodes.length } });
  }
  /** People scanned into one kiosk pool, its tube opened and sealed. */
  async function kioskPool(people: typeof walkers, tubeCode: string): Promise<void> {
    const group = added(await scan(kiosk, rs.code(people[0]))).group;
    for (const w of people.slice(1)) expect(added(await scan(kiosk, rs.code(w))).group.id).toBe(group.id);
    okReply(await groupAction(kiosk, { groupId: group.id, action: 'close' }));
    okReply(await groupAction(kiosk, { groupId: group.id, action: 'start', tubeCode }));
    okReply(await groupAction(kiosk, { groupId: group.id, action: 'seal' }));
  }
  const own = async (r: (typeof walkers)[number]) =>
    (await ok<OwnResult>(rs.site, LAB_API.ownResult, { json: { code: rs.code(r) } })).status;
  const overview = () => ok<LabOverview>(rs.site, LAB_API.boxes);
  const homeSample = (kind: 'single' | 'household', tubeCode: string, people: typeof walkers) => ({
    team,
    json: { key: newKey(), kind, tubeCode, inputs: people.map((p) => rs.code(p)) },
  });

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, [...sealed, ...walkers, ...retested]);
    kiosk = await rs.site.connect('kiosk');
    team = await createTeam(rs.site, '一队');
    const visits = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    await ok(rs.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: visits.map((v) => v.id), team: '一队' } });
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  it('boxes, hands over and receives a home household tube like a kiosk tube; its negative clears the household', async () => {
    const { reconciliation: was } = await overview();
    await ok(rs.site, ROUNDS_API.homeVisitsSample, homeSample('household', 'HT0000001', sealed));
    await kioskPool(walkers, 'KT0000001');

    const before = await overview();
    expect(before.tubes.find((t) => t.tubeCode === 'HT0000001')).toMatchObject({
      groupLabel: expect.stringMatching(/^HOME-\d{3}$/),
      kind: 'pooled',
      people: 3,
      state: 'sealed',
    });
    expect(before.reconciliation).toMatchObject({ sealed: was.sealed + 2, boxed: was.boxed, balanced: false });

    const box = await toLab('BOX-H1', ['HT0000001', 'KT0000001']);
    expect(box).toMatchObject({ state: 'received', tubes: ['HT0000001', 'KT0000001'] });
    expect((await overview()).reconciliation).toMatchObject({
      sealed: was.sealed + 2,
      boxed: was.boxed + 2,
      handedOver: was.handedOver + 2,
      received: was.received + 2,
      balanced: true,
    });

    const report = await importResults('试管编码,结果\r\nHT0000001,阴性\r\nKT0000001,混管阳性\r\n');
    expect(report).toMatchObject({ applied: 2, rejected: [], retests: 3 });
    for (const s of sealed) expect(await own(s)).toBe('negative');
    for (const w of walkers) expect(await own(w)).toBe('retest-needed');
  });

  it("sends a pool-positive member to home sampling; the team's single tube is her one retest sample", async () => {
    await kioskPool(retested, 'KT0000002');
    await toLab('BOX-R1', ['KT0000002']);
    expect(await importResults('试管编码,结果\r\nKT0000002,混管阳性\r\n')).toMatchObject({ applied: 1, rejected: [], retests: 3 });
    const mine = (l: RetestList) =>
      l.retests
        .filter((r) => retested.some((p) => p.name === r.name))
        .map((r) => [r.name, r.done])
        .sort();
    const list = await ok<RetestList>(rs.site, LAB_API.retests);
    expect(mine(list)).toEqual(retested.map((w) => [w.name, false]).sort());
    const her = list.retests.find((r) => r.name === retested[0].name)!;

    // Staff only, and only people who still owe a retest sample.
    expect(
      await refused(rs.site, ROUNDS_API.homeVisitsRetest, { role: 'volunteer', json: { residentIds: [her.residentId] } }),
    ).toMatchObject({ code: 'forbidden' });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRetest, { json: { residentIds: [] } })).toMatchObject({ status: 400 });
    const [visit] = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisitsRetest, { json: { residentIds: [her.residentId] } });
    expect(visit).toMatchObject({ name: retested[0].name, reason: 'retest', status: 'pending', tubeCode: null });
    await ok(rs.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: [visit.id], team: '一队' } });

    // A retest goes in a tube of its own, never a household tube.
    const pooled = await refused(rs.site, ROUNDS_API.homeVisitsSample, homeSample('household', 'HR0000009', [retested[0]]));
    expect(pooled).toMatchObject({ code: 'invalid', reason: 'home.retest-single' });
    const coverageBefore = (await ok<CoverageReport>(rs.site, ROUNDS_API.coverage)).coverage.total;
    const { reconciliation: was } = await overview();
    await ok(rs.site, ROUNDS_API.homeVisitsSample, homeSample('single', 'HR0000001', [retested[0]]));

    // Satisfied exactly like a kiosk retest: done on the list, and no second sample anywhere.
    const after = await ok<RetestList>(rs.site, LAB_API.retests);
    expect(mine(after)).toEqual(retested.map((w, i) => [w.name, i === 0]).sort());
    const again = await refused(rs.site, ROUNDS_API.homeVisitsSample, homeSample('single', 'HR0000002', [retested[0]]));
    expect(again).toMatchObject({ code: 'conflict', reason: 'home.already-placed' });
    expect(okReply(await scan(kiosk, rs.code(retested[0])))).toMatchObject({ kind: 'duplicate' });
    const owesNothing = await refused(rs.site, ROUNDS_API.homeVisitsRetest, { json: { residentIds: [her.residentId] } });
    expect(owesNothing).toMatchObject({ code: 'conflict', reason: 'visit.no-retest' });

    // Counts count people: her retest sample makes nobody more sampled; its tube travels and reconciles.
    expect((await ok<CoverageReport>(rs.site, ROUNDS_API.coverage)).coverage.total).toMatchObject({
      due: coverageBefore.due,
      sampled: coverageBefore.sampled,
    });
    expect(await toLab('BOX-H2', ['HR0000001'])).toMatchObject({ state: 'received' });
    expect((await overview()).reconciliation).toMatchObject({ sealed: was.sealed + 1, received: was.received + 1, balanced: true });
    expect(await importResults('管码,检测结果\r\nHR0000001,阴性\r\n')).toMatchObject({ applied: 1, retests: 0 });
    expect(await own(retested[0])).toBe('negative');
    expect(await own(retested[1])).toBe('retest-needed');
  });
});
