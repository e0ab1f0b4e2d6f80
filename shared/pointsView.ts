// Each sampling point as a resident choosing where to go sees it: people in line, the wait a
// newcomer would have, and how crowded that is; and the buildings the schedule invites now. Masked
// data only, no login: the /points page polls it (GET /api/points, built by each node once per
// snapshot) and the hall display computes the same from its own queue.
import { crowdingOf, type CrowdingLevel, type CrowdingThresholds, DEFAULT_CROWDING } from './crowding';
import { POLL_MIN_S, type Polled } from './poll';
import type { GroupView, PointView, Snapshot } from './protocol';
import { invitedAt } from './schedule';
import { pointWait } from './waitEstimate';

/** GET: the PointsView of the round (public, cacheable for a few seconds, like the turn page's answer). */
export const POINTS_PATH = '/api/points';
/**
 * Every few seconds, as a turn page near its turn: a resident looks at it for the minute it takes to
 * choose where to walk, and all its phones share one answer (a 304 for most, and one a proxy can keep for all).
 */
export const POINTS_POLL_S = POLL_MIN_S;

export interface PointStatus {
  code: string;
  /** The name staff gave the point when they opened the round: where it is (东门广场). */
  name: string;
  /** People registered and not yet at a desk: in forming, waiting and called groups. */
  inLine: number;
  /** Minutes a newcomer would wait; null until enough groups are sampled to know the pace. */
  minutes: number | null;
  level: CrowdingLevel | null;
}

export interface PointsView extends Polled {
  points: PointStatus[];
  /** Buildings the staggered schedule invites now, in address order. */
  invited: string[];
  /** The thresholds behind the levels (the page's legend). */
  crowding: CrowdingThresholds;
}

const IN_LINE = new Set(['forming', 'waiting', 'called']);

export function peopleInLine(groups: readonly GroupView[], point: string): number {
  return groups
    .filter((g) => g.point === point && IN_LINE.has(g.state))
    .reduce((n, g) => n + g.members.filter((m) => m.status === 'queued').length, 0);
}

/** Every group called or waiting at the point goes in before a newcomer's group. */
export function groupsAhead(groups: readonly GroupView[], point: string): number {
  return groups.filter((g) => g.point === point && (g.state === 'called' || g.state === 'waiting')).length;
}

/** Minutes a newcomer at the point would wait (null: the pace is not known yet). */
export function newcomerWait(groups: readonly GroupView[], point: string, now: Date): number | null {
  return pointWait(groups, point, groupsAhead(groups, point), now);
}

export function pointStatuses(
  points: readonly PointView[],
  groups: readonly GroupView[],
  crowding: CrowdingThresholds,
  now: Date,
): PointStatus[] {
  return points.map((p) => {
    const minutes = newcomerWait(groups, p.code, now);
    return { code: p.code, name: p.name, inLine: peopleInLine(groups, p.code), minutes, level: crowdingOf(minutes, crowding) };
  });
}

export function pointsView(snapshot: Snapshot, now: Date): PointsView {
  const crowding = snapshot.crowding ?? DEFAULT_CROWDING;
  return {
    points: pointStatuses(snapshot.points, snapshot.groups, crowding, now),
    invited: invitedAt(snapshot.schedule ?? [], now),
    crowding,
    pollS: POINTS_POLL_S,
  };
}
