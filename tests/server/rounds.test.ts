import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUNDS_API, type RoundSummary } from '../../shared/roundsApi';
import type { ScheduleSlot } from '../../shared/schedule';
import { BACKENDS } from '../support/backends';
import { newKey } from '../support/testServer';
import { added, failure, residents, scan, settled, startSiteWithRoster, sync, type RosterSite } from './helpers';
import { ok, refused } from './roundsHttp';

// The second day: staff open a new round with two points; everyone is due again, groups are
// numbered from 001 again, and the hall and tablets switch over without a reload. Then staff
// stagger the buildings, and the display hears of the schedule at once.

describe.each(BACKENDS)('rounds and the staggered schedule (%s)', (backend) => {
  let rs: RosterSite;
  const people = residents(0, 3);

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, people);
  });
  afterAll(async () => {
    await rs?.site.close();
  });
  /** The schedule stories plan two points: staff open a round with both (the first one open has only A). */
  const openTwoPointRound = (name: string) =>
    ok<RoundSummary>(rs.site, ROUNDS_API.rounds, {
      json: {
        key: newKey(),
        name,
        date: '2025-06-16',
        points: [
          { code: 'A', name: '东门', poolSize: 20 },
          { code: 'B', name: '西门', poolSize: 10 },
        ],
      },
    });

  it('opens a new round: the old one closes, people are due again and group numbers restart', async () => {
    const kiosk = await rs.site.connect('kiosk');
    const display = await rs.site.connect('display');
    expect(added(await scan(kiosk, rs.code(people[0]))).group.label).toBe('A-001');
    const firstRound = display.snapshots[0].round;

    const before = await settled(display);
    const key = newKey();
    const req = {
      key,
      name: '第二轮',
      date: '2025-06-16',
      points: [
        { code: 'A', name: '东门', poolSize: 20 },
        { code: 'B', name: '西门', poolSize: 10 },
      ],
    };
    const round = await ok<RoundSummary>(rs.site, ROUNDS_API.rounds, { json: req });
    expect(round).toMatchObject({ name: '第二轮', date: '2025-06-16', closedAt: null, sampled: 0 });
    // A replayed request opens nothing more.
    expect(await ok<RoundSummary>(rs.site, ROUNDS_API.rounds, { json: req })).toEqual(round);

    // Newest first: the new round open, the one before it closed.
    const rounds = await ok<RoundSummary[]>(rs.site, ROUNDS_API.rounds);
    expect(rounds.slice(0, 2).map((r) => [r.id, r.closedAt === null])).toEqual([
      [round.id, true],
      [firstRound.id, false],
    ]);
    expect(rounds.filter((r) => r.closedAt === null)).toHaveLength(1);

    // The display saw a version skipped, which is its cue to take a fresh snapshot.
    await display.untilVersion(before + 2);
    expect(display.changes.map((c) => c.version)).not.toContain(before + 1);
    const snap = await sync(display);
    expect(snap.round).toEqual({ id: round.id, name: '第二轮', date: '2025-06-16' });
    expect(snap.points).toEqual([
      { code: 'A', name: '东门', poolSize: 20 },
      { code: 'B', name: '西门', poolSize: 10 },
    ]);
    expect(snap.groups).toEqual([]);
    expect(snap.counts).toEqual({ registered: 0, sampled: 0, waitingGroups: 0 });

    const again = added(await scan(kiosk, rs.code(people[0])));
    expect(again.group).toMatchObject({ label: 'A-001', poolSize: 20 });
    expect(added(await scan(kiosk, rs.code(people[1]), { point: 'B' })).group.label).toBe('B-001');
  });

  it('leaves a point out of the next round: kiosks stop placing people there', async () => {
    await ok(rs.site, ROUNDS_API.rounds, {
      json: { key: newKey(), name: '第三轮', date: '2025-06-17', points: [{ code: 'B', name: '西门', poolSize: 5 }] },
    });
    const kiosk = await rs.site.connect('kiosk');
    expect(kiosk.snapshots[0].points).toEqual([{ code: 'B', name: '西门', poolSize: 5 }]);
    expect(failure(await scan(kiosk, rs.code(people[2]), { point: 'A' }))).toMatchObject({ code: 'not-found' });
    expect(added(await scan(kiosk, rs.code(people[2]), { point: 'B' })).group).toMatchObject({ label: 'B-001', poolSize: 5 });
    // The next round brings A back, as it was.
    await ok(rs.site, ROUNDS_API.rounds, {
      json: {
        key: newKey(),
        name: '第四轮',
        date: '2025-06-18',
        points: [
          { code: 'A', name: '东门', poolSize: 20 },
          { code: 'B', name: '西门', poolSize: 10 },
        ],
      },
    });
    expect((await sync(kiosk)).points.map((p) => p.code)).toEqual(['A', 'B']);
  });

  it('refuses a round without points, with a point twice or a bad pool size', async () => {
    const before = await ok<RoundSummary[]>(rs.site, ROUNDS_API.rounds);
    const base = { key: newKey(), name: '第三轮', date: '2025-06-17' };
    expect((await refused(rs.site, ROUNDS_API.rounds, { json: { ...base, points: [] } })).code).toBe('invalid');
    expect(
      (
        await refused(rs.site, ROUNDS_API.rounds, {
          json: {
            ...base,
            points: [
              { code: 'A', name: 'a', poolSize: 10 },
              { code: 'A', name: 'b', poolSize: 10 },
            ],
          },
        })
      ).code,
    ).toBe('invalid');
    expect(
      (await refused(rs.site, ROUNDS_API.rounds, { json: { ...base, points: [{ code: 'A', name: 'a', poolSize: 7 }] } })).params,
    ).toMatchObject({ fields: expect.stringContaining('poolSize') });
    expect(
      (await refused(rs.site, ROUNDS_API.rounds, { role: 'kiosk', json: { ...base, points: [{ code: 'A', name: 'a', poolSize: 10 }] } }))
        .code,
    ).toBe('forbidden');
    expect(await ok<RoundSummary[]>(rs.site, ROUNDS_API.rounds)).toEqual(before);
  });

  it('stores the schedule and tells the display which buildings are invited', async () => {
    await openTwoPointRound('排班轮');
    const display = await rs.site.connect('display');
    const slots: ScheduleSlot[] = [
      { building: '2', point: 'B', start: '2025-06-16T01:30:00.000Z', end: '2025-06-16T02:00:00.000Z' },
      { building: '1', point: 'A', start: '2025-06-16T01:00:00.000Z', end: '2025-06-16T01:30:00.000Z' },
    ];
    const saved = await ok<ScheduleSlot[]>(rs.site, ROUNDS_API.schedule, { json: { slots } });
    expect(saved.map((s) => s.building)).toEqual(['1', '2']);
    await display.untilVersion(display.snapshots[0].version + 1);
    expect(display.changes.at(-1)?.schedule).toEqual(saved);
    expect((await sync(display)).schedule).toEqual(saved);
    expect(await ok(rs.site, ROUNDS_API.schedule)).toEqual(saved);
  });

  it('refuses a building in two places at once and a point that does not exist', async () => {
    await openTwoPointRound('排班轮二');
    const planned = [{ building: '3', point: 'B', start: '2025-06-16T03:00:00.000Z', end: '2025-06-16T03:30:00.000Z' }];
    const stored = await ok<ScheduleSlot[]>(rs.site, ROUNDS_API.schedule, { json: { slots: planned } });
    const overlap = [
      { building: '1', point: 'A', start: '2025-06-16T01:00:00.000Z', end: '2025-06-16T02:00:00.000Z' },
      { building: '1', point: 'B', start: '2025-06-16T01:30:00.000Z', end: '2025-06-16T02:30:00.000Z' },
    ];
    expect(await refused(rs.site, ROUNDS_API.schedule, { json: { slots: overlap } })).toMatchObject({
      reason: 'schedule.overlap',
      params: { building: '1' },
    });
    const nowhere = [{ building: '1', point: 'Z', start: '2025-06-16T01:00:00.000Z', end: '2025-06-16T02:00:00.000Z' }];
    expect(await refused(rs.site, ROUNDS_API.schedule, { json: { slots: nowhere } })).toMatchObject({
      reason: 'point.not-found',
      params: { point: 'Z' },
    });
    const backwards = [{ building: '1', point: 'A', start: '2025-06-16T02:00:00.000Z', end: '2025-06-16T01:00:00.000Z' }];
    expect((await refused(rs.site, ROUNDS_API.schedule, { json: { slots: backwards } })).code).toBe('invalid');
    // The stored schedule is untouched.
    expect(await ok<ScheduleSlot[]>(rs.site, ROUNDS_API.schedule)).toEqual(stored);
  });
});
