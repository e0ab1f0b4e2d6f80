// Every keyed write answers a replay of the same request with its first reply, and refuses the key
// reused for another request or another kind of write (#12.11): a team tablet retrying a home sample
// with the next person's code, a kiosk outbox replaying with a key some other write took.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxPath, LAB_API, type BoxView } from '../../shared/labApi';
import type { GroupView, ScanOutcome } from '../../shared/protocol';
import { ROUNDS_API, type HomeSampleResult, type HomeVisit, type RoundSummary } from '../../shared/roundsApi';
import { BACKENDS } from '../support/backends';
import { newKey } from '../support/testServer';
import { emitRaw, failure, groupAction, ok as okReply, resident, scan, startSiteWithRoster, sync, type RosterSite } from './helpers';
import { ok, refused } from './roundsHttp';

const first = resident(0, ['bedridden']);
const second = resident(1, ['bedridden']);
/** Sampled at home under the key a kiosk scan then reuses. */
const third = resident(7, ['bedridden']);
const walkers = [2, 3].map((i) => resident(i));
const quarantined = resident(4, ['quarantine']);
const hallPair = [5, 6].map((i) => resident(i));

describe.each(BACKENDS)('idempotency keys with fingerprints (%s)', (backend) => {
  let rs: RosterSite;
  const homeSample = (who: typeof first, key: string, tubeCode: string) => ({
    json: { key, kind: 'single', tubeCode, inputs: [rs.code(who)] },
  });

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, [first, second, third, ...walkers, quarantined, ...hallPair]);
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  it('refuses a home sample key reused with another person, who stays on the list', async () => {
    const key = newKey();
    const done = await ok<HomeSampleResult>(rs.site, ROUNDS_API.homeVisitsSample, homeSample(first, key, 'KEY0000001'));
    expect(await ok(rs.site, ROUNDS_API.homeVisitsSample, homeSample(first, key, 'KEY0000001'))).toEqual(done);
    const reused = await refused(rs.site, ROUNDS_API.homeVisitsSample, homeSample(second, key, 'KEY0000001'));
    expect(reused).toMatchObject({ status: 409, code: 'conflict' });
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(list.find((v) => v.name === second.name)).toMatchObject({ status: 'pending', tubeCode: null });
    expect(list.find((v) => v.name === first.name)).toMatchObject({ status: 'done', tubeCode: 'KEY0000001' });
  });

  it("refuses a kiosk scan that reuses a home sample's key, without a word of that reply", async () => {
    const sampleKey = newKey();
    await ok<HomeSampleResult>(rs.site, ROUNDS_API.homeVisitsSample, homeSample(third, sampleKey, 'KEY0000003'));
    const kiosk = await rs.site.connect('kiosk');
    const reply = await scan(kiosk, rs.code(walkers[0]), { key: sampleKey });
    expect(failure(reply).code).toBe('conflict');
    expect(JSON.stringify(reply)).not.toContain(third.name);
    expect(JSON.stringify(reply)).not.toContain('KEY0000003');
    // The walker was not placed: a fresh key places them.
    expect(okReply(await scan(kiosk, rs.code(walkers[0])))).toMatchObject({ kind: 'added' });
  });

  it('answers a scan replayed from the outbox with other offline/scannedAt fields, and refuses its key for another person', async () => {
    const kiosk = await rs.site.connect('kiosk');
    const key = newKey();
    const placed = okReply(await scan(kiosk, rs.code(walkers[1]), { key }));
    const replay = await emitRaw(kiosk, 'scan', {
      key,
      point: 'A',
      input: rs.code(walkers[1]),
      offline: true,
      scannedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(replay).toEqual({ ok: true, value: placed });
    const other = await scan(kiosk, rs.code(quarantined), { key });
    expect(failure(other).code).toBe('conflict');
    expect(JSON.stringify(other)).not.toContain(walkers[1].name);
  });

  it('refuses a hall tick-off key reused for another member, who stays unticked', async () => {
    const kiosk = await rs.site.connect('kiosk');
    const tablet = await rs.site.connect('volunteer');
    const placed = await Promise.all(
      hallPair.map(async (p) => okReply(await scan(kiosk, rs.code(p))) as Extract<ScanOutcome, { kind: 'added' }>),
    );
    expect(new Set(placed.map((p) => p.group.id)).size).toBe(1);
    const group = okReply(await groupAction(tablet, { groupId: placed[0].group.id, action: 'close' }));
    const [a, b] = group.members;
    const key = newKey();
    const ticked = okReply(await emitRaw(tablet, 'member:present', { key, memberId: a.id, present: true })) as GroupView;
    expect(ticked.members.find((m) => m.id === a.id)?.present).toBe(true);
    expect(failure(await emitRaw(tablet, 'member:present', { key, memberId: b.id, present: true })).code).toBe('conflict');
    const after = (await sync(tablet)).groups.find((g) => g.id === group.id)!;
    expect(after.members.find((m) => m.id === b.id)?.present).toBe(false);
  });

  it('refuses a courier hand-over key reused with another courier, and answers the retry', async () => {
    const kiosk = await rs.site.connect('kiosk');
    const single = okReply(await scan(kiosk, rs.code(quarantined))) as Extract<ScanOutcome, { kind: 'routed' }>;
    if (single.route !== 'single-tube') throw new Error('expected a single tube');
    okReply(await groupAction(kiosk, { groupId: single.group.id, action: 'start', tubeCode: 'KEY0000002' }));
    okReply(await groupAction(kiosk, { groupId: single.group.id, action: 'seal' }));
    const box = 'BOX-KEY-1';
    await ok(rs.site, LAB_API.boxes, { json: { code: box } });
    await ok(rs.site, boxPath(LAB_API.boxTubes, box), { json: { tubeCode: 'KEY0000002' } });
    await ok(rs.site, boxPath(LAB_API.boxClose, box), { json: {} });
    const key = newKey();
    const courier = { name: '李师傅', phone: '13800001111', key };
    const handed = await ok<BoxView>(rs.site, boxPath(LAB_API.boxHandOver, box), { json: courier });
    expect(handed).toMatchObject({ state: 'handed-over', courier: '李师傅' });
    expect(await ok(rs.site, boxPath(LAB_API.boxHandOver, box), { json: courier })).toEqual(handed);
    const other = await refused(rs.site, boxPath(LAB_API.boxHandOver, box), { json: { ...courier, name: '张师傅' } });
    expect(other).toMatchObject({ status: 409, code: 'conflict' });
    expect(JSON.stringify(other)).not.toContain('李师傅');
  });

  it('refuses a round-opening key reused for another round, and answers the retry with the first reply', async () => {
    const key = newKey();
    const round = { key, name: '第二轮', date: '2026-12-02', points: [{ code: 'A', name: 'A', poolSize: 10 }] };
    const opened = await ok<RoundSummary>(rs.site, ROUNDS_API.rounds, { json: round });
    expect(await ok(rs.site, ROUNDS_API.rounds, { json: round })).toEqual(opened);
    expect(await refused(rs.site, ROUNDS_API.rounds, { json: { ...round, name: '第三轮' } })).toMatchObject({
      status: 409,
      code: 'conflict',
    });
    expect((await ok<RoundSummary[]>(rs.site, ROUNDS_API.rounds)).map((r) => r.name)).not.toContain('第三轮');
  });
});
