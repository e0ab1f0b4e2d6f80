// The hall's wait estimate and call wording, shared by the display, the tablets and the turn page.
import type { GroupView } from '../../shared/protocol';
import { pace, waitMinutes } from '../../shared/waitEstimate';

/** Minutes until `ahead` more groups at a point have gone in, at the pace its groups are being sampled. */
export function pointWait(groups: readonly GroupView[], point: string, ahead: number, now: Date): number | null {
  const sealed = groups.filter((g) => g.point === point && g.sampledAt !== null).map((g) => ({ calledAt: g.calledAt, sampledAt: g.sampledAt as string }));
  return waitMinutes(ahead, pace(sealed, now));
}

/** Each call of a group is announced once: a recalled group called again is a new call. */
export function callKey(g: GroupView): string {
  return `${g.id}@${g.calledAt ?? ''}`;
}
