// A member someone ticks off at the door or marks absent: queued, in a group still waiting for them
// (shared/groupStates.ts isMarkable), with the group locked for the write.
import { isMarkable } from '../../shared/groupStates';
import type { StoreTx } from '../store/store';
import { ActionError } from './actionError';

export async function lockMarkableMember(tx: StoreTx, memberId: number, refusal: 'hall.tick-not-queued' | 'member.not-queued') {
  const member = await tx.queue().memberById(memberId);
  if (!member) throw new ActionError('member.not-found', { id: memberId });
  const group = await tx.queue().lockGroup(member.group_id);
  if (!group || !isMarkable(group.state, member.status)) throw new ActionError(refusal);
  return { member, group };
}
