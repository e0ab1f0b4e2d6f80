// A resident's turn page: what their phone is told about their group, and nothing more. Served by
// every node from its own snapshot (GET /api/turn/:group, cacheable for a few seconds), so a phone
// polls an HTTP answer a proxy or the browser may reuse instead of holding a socket.
import type { GroupState } from './groupStates';
import type { GroupView } from './protocol';
import { pointWait } from './waitEstimate';

/** GET: one group's TurnView (404 when the round holds no such group, or it was sampled long ago). */
export const TURN_PATH = '/api/turn/:group';
export const turnPath = (group: number): string => `/api/turn/${group}`;

/** How long a phone, the browser or a proxy may reuse an answer (Cache-Control max-age). */
export const TURN_MAX_AGE_S = 5;
/** How often a visible turn page asks while its group is near its turn (or called); after a failure it waits longer, up to TURN_POLL_MAX_MS. */
export const TURN_POLL_MS = TURN_MAX_AGE_S * 1000;
/** How often it asks while more than TURN_NEAR_AHEAD groups go first: most phones in a line are far from their turn. */
export const TURN_POLL_FAR_MS = 15_000;
export const TURN_NEAR_AHEAD = 3;
export const TURN_POLL_MAX_MS = 30_000;

/** Only the group's public progress: no names (not even masked), nothing of other groups but how many go first. */
export interface TurnView {
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
 * Groups that will go in before this one: those already called, then waiting groups
 * called earlier — green-channel groups first, the rest in arrival order.
 */
export function groupsBefore(groups: readonly GroupView[], group: GroupView): number {
  if (group.state !== 'forming' && group.state !== 'waiting') return 0;
  const goesFirst = (g: GroupView) =>
    group.state === 'forming' || (g.priority !== group.priority ? Boolean(g.priority) : g.id < group.id);
  return groups.filter(
    (g) => g.point === group.point && g.id !== group.id && (g.state === 'called' || (g.state === 'waiting' && goesFirst(g))),
  ).length;
}

/** The turn page's view of group `id` among a point's groups (full or display views alike); null when it is not there. */
export function turnView(groups: readonly GroupView[], id: number, now: Date): TurnView | null {
  const group = groups.find((g) => g.id === id);
  if (!group || group.state === 'cancelled') return null;
  const ahead = groupsBefore(groups, group);
  const queued = group.state === 'forming' || group.state === 'waiting';
  return {
    id: group.id, label: group.label, state: group.state, ahead,
    minutes: queued ? pointWait(groups, group.point, ahead, now) : null,
    desk: group.desk ?? null,
  };
}

/** How long a turn page waits before asking again, after this answer (null: none yet, or no such group). */
export function turnPollMs(view: TurnView | null): number {
  return view && (view.state === 'forming' || view.state === 'waiting') && view.ahead > TURN_NEAR_AHEAD ? TURN_POLL_FAR_MS : TURN_POLL_MS;
}
