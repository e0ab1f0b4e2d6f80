import { describe, expect, it } from 'vitest';
import type { GroupState } from '../../shared/groupStates';
import type { GroupView, MemberStatus } from '../../shared/protocol';
import { groupsAhead, peopleInLine } from '../../renderer/lib/pointsOverview';

const group = (id: number, point: string, state: GroupState, statuses: MemberStatus[]): GroupView => ({
  id, label: `${point}-00${id}`, point, kind: 'pooled', poolSize: 10, state, priority: false, tubeCode: null,
  members: statuses.map((status, i) => ({ id: id * 100 + i, position: i + 1, maskedName: '张*', status })),
  createdAt: '2026-12-01T01:00:00Z', calledAt: null, sampledAt: state === 'sampled' ? '2026-12-01T01:10:00Z' : null,
});

describe('a point as a resident choosing where to go sees it', () => {
  const groups = [
    group(1, 'A', 'sampled', ['sampled', 'sampled']),
    group(2, 'A', 'sampling', ['queued', 'queued']),
    group(3, 'A', 'called', ['queued', 'absent']),
    group(4, 'A', 'waiting', ['queued', 'queued', 'queued']),
    group(5, 'A', 'forming', ['queued']),
    group(6, 'B', 'waiting', ['queued']),
  ];

  it('counts the people still to reach a desk: forming, waiting and called groups, absent ones left out', () => {
    expect(peopleInLine(groups, 'A')).toBe(5);
    expect(peopleInLine(groups, 'B')).toBe(1);
    expect(peopleInLine(groups, 'C')).toBe(0);
  });

  it('puts every called and waiting group at the point before a newcomer', () => {
    expect(groupsAhead(groups, 'A')).toBe(2);
    expect(groupsAhead(groups, 'B')).toBe(1);
  });
});
