// A resident's turn page: what their phone is told about their group, and nothing more. Served by
// every node from its own snapshot (GET /api/turn/:group, cacheable for a few seconds), so a phone
// polls an HTTP answer a proxy or the browser may reuse instead of holding a socket.
import type { GroupState } from './groupStates';
import { POLL_MAX_S, POLL_MIN_S, type Polled } from './poll';
import type { GroupView } from './protocol';
import { pointPace, waitMinutes } from './waitEstimate';

/** GET: one group's TurnView (404 when the round holds no such group, or it was sampled long ago). */
export const TURN_PATH = '/api/turn/:group';
export const turnPath = (group: number): string => `/api/turn/${group}`;

/** Only the group's public progress: no names (not even masked), nothing of other groups but how many go first. */
export interface TurnView extends Polled {
  id: number;
  label: string;
  state: Exclude<GroupState, 'cancelled'>;
  /** Groups that go in before this one (0 once it is called). */
  ahead: number;
  /** Estimated minutes until its turn while it is queued; null when unknown or no longer queued. */
  minutes: number | null;
  /** The desk it was called to (hall), while it is called or sampling. */
  desk: number | null;
}

/**
 * Seconds a queued group's page waits per group ahead of it. A group moves up one place per call at
 * its point, and a point's desks call one every 15 s at the very fastest: a page asking every 3 s
 * per group ahead still asks several times per place it gains, and a page 20 groups back asks once
 * a minute. Since the groups waiting at a point each have their own place, a point's phones cost
 * about (phones per group) × (2 / 5 s + Σ 1 / (3 s × ahead) + the rest / 60 s) answers a second:
 * a logarithm of the line's length, not its length, until the minute's cap.
 */
export const TURN_POLL_S_PER_AHEAD = 3;
/** Called: the desk shows at once. Being sampled: nothing urgent follows. Sampled: the page is done. */
const POLL_S_BY_STATE = { called: POLL_MIN_S, sampling: 15, sampled: POLL_MAX_S } as const;

/** How long a turn page waits before asking again, for its group's state and place. */
export function turnPollS(state: TurnView['state'], ahead: number): number {
  if (state === 'forming' || state === 'waiting') return Math.min(POLL_MAX_S, Math.max(POLL_MIN_S, TURN_POLL_S_PER_AHEAD * ahead));
  return POLL_S_BY_STATE[state];
}

/**
 * Every group's turn page view, in one pass per point. Groups that go in before a group: those
 * already called, then waiting groups called earlier — green-channel groups first, the rest in
 * arrival order; a group still forming goes after every called and waiting group.
 */
export function turnViews(groups: readonly GroupView[], now: Date): Map<number, TurnView> {
  const byPoint = new Map<string, GroupView[]>();
  for (const g of groups) {
    const at = byPoint.get(g.point);
    if (at) at.push(g);
    else byPoint.set(g.point, [g]);
  }
  const views = new Map<number, TurnView>();
  for (const [point, at] of byPoint) {
    const called = at.filter((g) => g.state === 'called').length;
    const waiting = at.filter((g) => g.state === 'waiting').sort((a, b) => Number(b.priority) - Number(a.priority) || a.id - b.id);
    const perGroup = pointPace(at, point, now);
    const place = new Map(waiting.map((g, i) => [g.id, called + i]));
    for (const g of at) {
      if (g.state === 'cancelled') continue;
      const queued = g.state === 'forming' || g.state === 'waiting';
      const ahead = g.state === 'forming' ? called + waiting.length : (place.get(g.id) ?? 0);
      views.set(g.id, {
        id: g.id,
        label: g.label,
        state: g.state,
        ahead,
        minutes: queued ? waitMinutes(ahead, perGroup) : null,
        desk: g.desk ?? null,
        pollS: turnPollS(g.state, ahead),
      });
    }
  }
  return views;
}
