// The hall's call wording, shared by the display and the tablets.
import type { GroupView } from '../../shared/protocol';

/** Each call of a group is announced once: a recalled group called again is a new call. */
export function callKey(g: GroupView): string {
  return `${g.id}@${g.calledAt ?? ''}`;
}
