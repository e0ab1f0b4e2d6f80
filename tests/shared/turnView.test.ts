import { describe, expect, it } from 'vitest';
import type { GroupView } from '../../shared/protocol';
import { groupsBefore, turnView } from '../../shared/turnView';

const now = new Date('2026-04-01T10:00:00Z');
const ago = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const group = (id: number, state: GroupView['state'], extra: Partial<GroupView> = {}): GroupView => ({
  id, label: `A-00${id}`, point: 'A', kind: 'pooled', poolSize: 10, state, priority: false, tubeCode: null,
  members: [{ id: id * 10, position: 1, maskedName: '张*三', status: 'queued' }], createdAt: ago(30), calledAt: null, sampledAt: null, ...extra,
});

describe('a resident\'s turn page', () => {
  it('counts the called groups and the waiting groups that go first, the green channel before arrival order', () => {
    const groups = [
      group(1, 'called', { desk: 2, calledAt: ago(3) }), group(2, 'waiting'), group(3, 'waiting'),
      group(4, 'waiting', { priority: true }), group(5, 'forming'), group(6, 'waiting', { point: 'B' }),
    ];
    const byId = (id: number) => groups.find((g) => g.id === id)!;
    expect(groupsBefore(groups, byId(2))).toBe(2); // A-001 indoors, the green channel's A-004
    expect(groupsBefore(groups, byId(3))).toBe(3);
    expect(groupsBefore(groups, byId(4))).toBe(1);
    expect(groupsBefore(groups, byId(5))).toBe(4); // still forming: every queued group goes first
    expect(groupsBefore(groups, byId(1))).toBe(0);
  });

  it('tells the phone the group\'s label, state, place, wait and desk, and no names', () => {
    const sealed = [1, 2, 3].map((id) => group(id, 'sampled', { calledAt: ago(20 - id * 4), sampledAt: ago(16 - id * 4) }));
    const groups = [...sealed, group(4, 'called', { desk: 3, calledAt: ago(1) }), group(5, 'waiting')];
    const waiting = turnView(groups, 5, now);
    expect(waiting).toEqual({ id: 5, label: 'A-005', state: 'waiting', ahead: 1, minutes: 4, desk: null });
    expect(JSON.stringify(waiting)).not.toContain('张');
    expect(turnView(groups, 4, now)).toEqual({ id: 4, label: 'A-004', state: 'called', ahead: 0, minutes: null, desk: 3 });
    expect(turnView(groups, 9, now)).toBeNull();
    expect(turnView([group(7, 'cancelled')], 7, now)).toBeNull();
  });
});
