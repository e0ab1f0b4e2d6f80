// The wire projection of the queue's groups: what every display, kiosk and tablet is sent. Names
// are masked here, once, for every change and snapshot; the store hands them over as stored.
import type { GroupView } from '../../shared/protocol';
import { maskName } from '../../shared/names';
import type { GroupRecord } from '../store/queueStore';
import type { StoreTx } from '../store/store';

export function toGroupView(group: GroupRecord): GroupView {
  return {
    ...group,
    members: group.members.map((m) => ({
      id: m.id,
      position: m.position,
      maskedName: maskName(m.name),
      status: m.status,
      present: m.present,
    })),
  };
}

/** These groups as clients see them (a write's change). */
export async function groupViews(tx: StoreTx, ids: number[]): Promise<GroupView[]> {
  return (await tx.queue().groups(ids)).map(toGroupView);
}

/** Groups still in the queue and the most recently sampled ones, as clients see them (a snapshot). */
export async function liveGroupViews(tx: StoreTx, roundId: number, recentSampled: number): Promise<GroupView[]> {
  return (await tx.queue().liveGroups(roundId, recentSampled)).map(toGroupView);
}
