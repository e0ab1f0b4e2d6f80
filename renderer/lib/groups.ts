// Small facts about a group that several pages show.
import type { GroupView } from '../../shared/protocol';

/** People who still count toward the group (absent members do not). */
export function presentCount(group: GroupView): number {
  return group.members.filter((m) => m.status !== 'absent').length;
}

export function byId(a: GroupView, b: GroupView): number {
  return a.id - b.id;
}
