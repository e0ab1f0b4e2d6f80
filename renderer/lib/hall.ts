// The hall's wait estimate and call wording, shared by the display, the tablets and the turn page.
import type { GroupView } from '../../shared/protocol';
import { pace, waitMinutes } from '../../shared/waitEstimate';

/** Minutes until `ahead` more groups at a point have gone in, at the pace its groups are being sampled. */
export function pointWait(groups: readonly GroupView[], point: string, ahead: number, now: Date): number | null {
  const sealed = groups.filter((g) => g.point === point && g.sampledAt !== null).map((g) => ({ calledAt: g.calledAt, sampledAt: g.sampledAt as string }));
  return waitMinutes(ahead, pace(sealed, now));
}

/** "A-003" as a voice should read it: letter and digits one by one ("A 0 0 3"), not "A minus three". */
export function spokenLabel(label: string): string {
  return label.replace('-', '').split('').join(' ');
}

/** Each call of a group is announced once: a recalled group called again is a new call. */
export function callKey(g: GroupView): string {
  return `${g.id}@${g.calledAt ?? ''}`;
}
