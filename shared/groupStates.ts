import type { Role } from './roles';

// The queue life of a group, written as data.
export const GROUP_STATES = ['forming', 'waiting', 'called', 'sampling', 'sampled', 'cancelled'] as const;
export type GroupState = (typeof GROUP_STATES)[number];

export const GROUP_ACTIONS = ['close', 'call', 'recall', 'start', 'start-now', 'seal', 'cancel'] as const;
export type GroupAction = (typeof GROUP_ACTIONS)[number];

interface Transition {
  from: readonly GroupState[];
  to: GroupState;
  roles: readonly Role[];
}

export const GROUP_TRANSITIONS: Record<GroupAction, Transition> = {
  // End of the line: a part-filled group stops taking people and joins the queue.
  close: { from: ['forming'], to: 'waiting', roles: ['kiosk', 'volunteer', 'staff'] },
  // A volunteer calls the group indoors.
  call: { from: ['waiting'], to: 'called', roles: ['volunteer', 'staff'] },
  // A called group that did not come back is put back in the queue.
  recall: { from: ['called'], to: 'waiting', roles: ['volunteer', 'staff'] },
  // The sampler opens the group's tube (tube code recorded).
  start: { from: ['waiting', 'called'], to: 'sampling', roles: ['kiosk', 'staff'] },
  // A waiting group let straight in to a desk (its tube labelled or scanned): it is called on the hall display
  // in the same step, so the screen never misses a group that skipped the queue.
  'start-now': { from: ['waiting'], to: 'sampling', roles: ['volunteer', 'kiosk', 'staff'] },
  // The tube is sealed: everyone present in the group is sampled.
  seal: { from: ['sampling'], to: 'sampled', roles: ['kiosk', 'staff'] },
  // A group made by mistake (a wrong single-tube routing) is withdrawn before its tube is opened;
  // its people are freed to be scanned again.
  cancel: { from: ['forming', 'waiting'], to: 'cancelled', roles: ['kiosk', 'staff'] },
};

export function transitionFor(
  action: GroupAction,
  from: GroupState,
  role: Role,
): { ok: true; to: GroupState } | { ok: false; reason: 'role' | 'state' } {
  const t = GROUP_TRANSITIONS[action];
  if (!t.roles.includes(role)) return { ok: false, reason: 'role' };
  if (!t.from.includes(from)) return { ok: false, reason: 'state' };
  return { ok: true, to: t.to };
}

/** Groups whose members the hall marks (absent, or ticked off at the door): in line or indoors, tube not yet sealed. */
export const MARKABLE_STATES: readonly GroupState[] = ['waiting', 'called', 'sampling'];

/** Whether a member may be marked absent or ticked off at the door: still queued, in a group the hall is working on. */
export function isMarkable(groupState: GroupState, memberStatus: string): boolean {
  return MARKABLE_STATES.includes(groupState) && memberStatus === 'queued';
}
