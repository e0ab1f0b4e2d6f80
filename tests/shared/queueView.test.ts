import { describe, expect, it } from 'vitest';
import type { Change, GroupView, Snapshot } from '../../shared/protocol';
import { applyChange, fitOf, viewOfSnapshot } from '../../shared/queueView';
import { groupView } from '../support/groupView';

const counts = (registered: number) => ({ registered, sampled: 0, waitingGroups: 0 });
const group = (id: number, state: GroupView['state']): GroupView => groupView(id, state, { members: [] });
const snapshot: Snapshot = {
  version: 5,
  round: { id: 1, name: 'r', date: '2026-12-01' },
  points: [{ code: 'A', name: 'A', poolSize: 10 }],
  groups: [group(1, 'forming'), group(2, 'waiting')],
  counts: counts(12),
};

describe('the client change reducer', () => {
  it('tells the next change from one seen already and from a gap, merged runs included', () => {
    expect(fitOf(5, { version: 6, groups: [], counts: counts(0) })).toBe('next');
    expect(fitOf(5, { version: 5, groups: [], counts: counts(0) })).toBe('old');
    expect(fitOf(5, { version: 7, groups: [], counts: counts(0) })).toBe('gap');
    expect(fitOf(5, { from: 4, version: 8, groups: [], counts: counts(0) })).toBe('next');
  });

  it('moves the view on: groups replaced by id, a cancelled group gone, counts and version taken', () => {
    const view = viewOfSnapshot(snapshot);
    const change: Change = { version: 6, groups: [group(1, 'waiting'), group(2, 'cancelled'), group(3, 'forming')], counts: counts(13) };
    applyChange(view, change);
    expect([...view.groups.values()].map((g) => [g.id, g.state])).toEqual([
      [1, 'waiting'],
      [3, 'forming'],
    ]);
    expect(view.version).toBe(6);
    expect(view.counts).toEqual(counts(13));
  });

  it('keeps the hall, schedule and crowding a change does not carry', () => {
    const view = viewOfSnapshot({ ...snapshot, hall: { announcement: null, points: [] } });
    const hall = { announcement: { text: '请带好钥匙', at: '2026-12-01T08:01:00.000Z' }, points: [] };
    applyChange(view, { version: 6, groups: [], counts: counts(12), hall });
    applyChange(view, { version: 7, groups: [], counts: counts(12) });
    expect(view.hall).toEqual(hall);
    expect(view.schedule).toEqual([]);
  });
});
