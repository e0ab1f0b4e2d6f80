// Undo at the kiosk: a member added by mistake (wrong code, wrong person) leaves the group
// before its tube is opened, and can then be scanned again.
import { z } from 'zod';
import type { GroupState } from './groupStates';
import { key } from './ids';

export const MemberRemoveRequest = z.strictObject({ key, memberId: z.number().int().positive() });
export type MemberRemoveRequest = z.infer<typeof MemberRemoveRequest>;

/** Once a group is called its people are indoors and its tube may be open: too late to undo. */
export const REMOVABLE_STATES: readonly GroupState[] = ['forming', 'waiting'];

export type RemovalRule = { ok: true; state: GroupState } | { ok: false; reason: 'state' | 'single-tube' | 'would-be-empty' };

/**
 * What happens to a pooled group when one member is removed. A forming group keeps filling.
 * A waiting group that has just filled (no other group of its kind is forming at the point yet)
 * goes back to forming, so the next person takes the freed place: the usual case, a wrong tenth
 * scan. Otherwise it keeps its place in the queue with one fewer (a pooled tube may hold fewer),
 * unless that would leave it empty: an empty group in the queue would be called with nobody.
 */
export function removalRule(
  group: { state: GroupState; kind: 'pooled' | 'single' },
  remaining: number,
  otherForming: boolean,
): RemovalRule {
  if (!REMOVABLE_STATES.includes(group.state)) return { ok: false, reason: 'state' };
  // A single tube is a routing decision (quarantine); taking the person out is for staff, not an undo.
  if (group.kind === 'single') return { ok: false, reason: 'single-tube' };
  if (group.state === 'forming') return { ok: true, state: 'forming' };
  if (!otherForming) return { ok: true, state: 'forming' };
  if (remaining === 0) return { ok: false, reason: 'would-be-empty' };
  return { ok: true, state: 'waiting' };
}
