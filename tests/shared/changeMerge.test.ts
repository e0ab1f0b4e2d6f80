import { describe, expect, it } from 'vitest';
import { follows, mergeChanges } from '../../shared/changeMerge';
import type { Change, Counts, GroupView } from '../../shared/protocol';

const counts = (registered: number): Counts => ({ registered, sampled: 0, waitingGroups: 0 });
const group = (id: number, size: number): GroupView => ({
  id,
  label: `A-${String(id).padStart(3, '0')}`,
  point: 'A',
  kind: 'pooled',
  poolSize: 10,
  state: size === 10 ? 'waiting' : 'forming',
  priority: false,
  tubeCode: null,
  createdAt: '2026-11-22T08:00:00Z',
  calledAt: null,
  sampledAt: null,
  members: Array.from({ length: size }, (_, k) => ({ id: id * 100 + k, position: k + 1, maskedName: '王*', status: 'queued' as const })),
});
/** Scan number n (1-based) at one point: group ⌈n/10⌉ grows by one. */
const scan = (n: number): Change => ({ version: n, groups: [group(Math.ceil(n / 10), ((n - 1) % 10) + 1)], counts: counts(n) });

/** What a client holds: the rule it applies (follows), groups by id. */
function apply(state: { version: number; groups: Map<number, GroupView>; counts: Counts }, changes: Change[]) {
  for (const c of changes) {
    if (!follows(state.version, c)) throw new Error(`cannot apply ${c.from ?? c.version}..${c.version} at ${state.version}`);
    for (const g of c.groups) state.groups.set(g.id, g);
    state.counts = c.counts;
    state.version = c.version;
  }
  return state;
}

describe('merging a run of changes (one message per fan-out tick)', () => {
  it('folds 25 scans into one change: each group as its last scan left it, the latest counts', () => {
    const [merged, ...rest] = mergeChanges(Array.from({ length: 25 }, (_, k) => scan(k + 1)));
    expect(rest).toEqual([]);
    expect(merged.from).toBe(1);
    expect(merged.version).toBe(25);
    expect(merged.groups.map((g) => [g.label, g.members.length, g.state])).toEqual([
      ['A-001', 10, 'waiting'],
      ['A-002', 10, 'waiting'],
      ['A-003', 5, 'forming'],
    ]);
    expect(merged.counts.registered).toBe(25);
  });

  it('gives a client the same state as applying every change, from any version inside the run', () => {
    const changes = Array.from({ length: 23 }, (_, k) => scan(k + 1));
    const [merged] = mergeChanges(changes.slice(5));
    for (let at = 5; at < 23; at++) {
      const before = apply({ version: 0, groups: new Map(), counts: counts(0) }, changes.slice(0, at));
      const expected = apply({ ...before, groups: new Map(before.groups) }, changes.slice(at));
      expect(apply(before, [merged])).toEqual(expected);
    }
  });

  it('keeps a gap a gap: another node’s versions, or a version skipped for a new round, split the run', () => {
    const out = mergeChanges([scan(1), scan(2), scan(4), scan(5), scan(8)]);
    expect(out.map((c) => [c.from ?? c.version, c.version])).toEqual([
      [1, 2],
      [4, 5],
      [8, 8],
    ]);
    expect(follows(2, out[1])).toBe(false);
  });

  it('puts changes that committed out of order back in order before merging', () => {
    expect(mergeChanges([scan(3), scan(1), scan(2)]).map((c) => [c.from, c.version])).toEqual([[1, 3]]);
  });

  it('keeps the last hall and schedule given in the run, and leaves a single change as it was', () => {
    const hall = { points: [], announcement: null } as unknown as Change['hall'];
    const schedule = [{ building: '3', point: 'A', start: '2026-11-22T08:00:00Z', end: '2026-11-22T09:00:00Z' }];
    const [merged] = mergeChanges([{ ...scan(1), hall }, { ...scan(2), schedule }, scan(3)]);
    expect(merged.hall).toBe(hall);
    expect(merged.schedule).toBe(schedule);
    expect(mergeChanges([scan(7)])).toEqual([scan(7)]);
    const crowding = { busyMinutes: 10, jammedMinutes: 20 };
    expect(mergeChanges([{ ...scan(4), crowding }, scan(5)])[0].crowding).toBe(crowding);
    expect(follows(6, scan(7))).toBe(true);
    expect(follows(7, scan(7))).toBe(false);
  });
});
