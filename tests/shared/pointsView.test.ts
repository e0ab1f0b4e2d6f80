import { describe, expect, it } from 'vitest';
import type { GroupState } from '../../shared/groupStates';
import type { GroupView, MemberStatus } from '../../shared/protocol';
import { DEFAULT_CROWDING } from '../../shared/crowding';
import { groupsAhead, peopleInLine, POINTS_POLL_S, pointsView } from '../../shared/pointsView';

const group = (id: number, point: string, state: GroupState, statuses: MemberStatus[]): GroupView => ({
  id,
  label: `${point}-00${id}`,
  point,
  kind: 'pooled',
  poolSize: 10,
  state,
  priority: false,
  tubeCode: null,
  members: statuses.map((status, i) => ({ id: id * 100 + i, position: i + 1, maskedName: '张*', status })),
  createdAt: '2026-12-01T01:00:00Z',
  calledAt: null,
  sampledAt: state === 'sampled' ? '2026-12-01T01:10:00Z' : null,
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

  it("answers the /points page: every point's line, wait and level, the buildings invited now, the thresholds, and no names", () => {
    const at = new Date('2026-12-01T01:30:00Z');
    const sealed = [10, 11, 12].map((id, i) => ({
      ...group(id, 'A', 'sampled', ['sampled']),
      calledAt: `2026-12-01T01:0${i}:00Z`,
      sampledAt: `2026-12-01T01:0${i + 1}:00Z`,
    }));
    const view = pointsView(
      {
        version: 1,
        round: { id: 1, name: '12月1日', date: '2026-12-01' },
        counts: { registered: 0, sampled: 0, waitingGroups: 0 },
        points: [
          { code: 'A', name: '东门广场', poolSize: 10 },
          { code: 'B', name: 'B', poolSize: 10 },
        ],
        groups: [...groups.filter((g) => g.state !== 'sampled'), ...sealed],
        schedule: [
          { building: '3', point: 'A', start: '2026-12-01T01:00:00Z', end: '2026-12-01T02:00:00Z' },
          { building: '12', point: 'B', start: '2026-12-01T01:00:00Z', end: '2026-12-01T02:00:00Z' },
          { building: '1', point: 'A', start: '2026-12-01T02:00:00Z', end: '2026-12-01T03:00:00Z' },
        ],
      },
      at,
    );
    // A: one minute a group, two groups go first. B: no pace yet.
    expect(view).toEqual({
      points: [
        { code: 'A', name: '东门广场', inLine: 5, minutes: 2, level: 'clear' },
        { code: 'B', name: 'B', inLine: 1, minutes: null, level: null },
      ],
      invited: ['3', '12'],
      crowding: DEFAULT_CROWDING,
      pollS: POINTS_POLL_S,
    });
    expect(JSON.stringify(view)).not.toContain('张');
  });
});
