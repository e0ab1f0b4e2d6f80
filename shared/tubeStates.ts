import type { Role } from './roles';

// The journey of a sealed tube to the lab and its result, written as data.
// A tube is a group whose sampling is sealed; boxing, hand-over and receipt happen box by box.
export const TUBE_STATES = ['sealed', 'boxed', 'handed-over', 'received', 'resulted'] as const;
export type TubeState = (typeof TUBE_STATES)[number];

export const TUBE_STEPS = ['box', 'hand-over', 'receive', 'result'] as const;
export type TubeStep = (typeof TUBE_STEPS)[number];

interface TubeTransition {
  from: TubeState;
  to: TubeState;
  roles: readonly Role[];
}

export const TUBE_TRANSITIONS: Record<TubeStep, TubeTransition> = {
  // The sampler or staff put a sealed tube in a transport box (扫箱码、扫管码).
  box: { from: 'sealed', to: 'boxed', roles: ['kiosk', 'staff'] },
  // The courier signs for the closed box.
  'hand-over': { from: 'boxed', to: 'handed-over', roles: ['staff'] },
  // The lab receiver counts the tubes in the box.
  receive: { from: 'handed-over', to: 'received', roles: ['staff'] },
  // The lab's result file names the tube.
  result: { from: 'received', to: 'resulted', roles: ['staff'] },
};

export function tubeStep(
  step: TubeStep,
  from: TubeState,
  role: Role,
): { ok: true; to: TubeState } | { ok: false; reason: 'role' | 'state' } {
  const t = TUBE_TRANSITIONS[step];
  if (!t.roles.includes(role)) return { ok: false, reason: 'role' };
  if (t.from !== from) return { ok: false, reason: 'state' };
  return { ok: true, to: t.to };
}

/** What is recorded about one sealed tube; its state follows from how far it got. */
export interface TubeFacts {
  tubeCode: string;
  sealedAt: string;
  boxCode: string | null;
  handedOverAt: string | null;
  receivedAt: string | null;
  resultedAt: string | null;
}

export function tubeStateOf(t: TubeFacts): TubeState {
  if (t.resultedAt) return 'resulted';
  if (t.receivedAt) return 'received';
  if (t.handedOverAt) return 'handed-over';
  if (t.boxCode) return 'boxed';
  return 'sealed';
}

/** How many tubes reached each step, and which ones stopped short (不漏: every tube accounted for). */
export interface Reconciliation {
  sealed: number;
  boxed: number;
  handedOver: number;
  received: number;
  resulted: number;
  /** Tube codes that reached a step but not the next one, by the step they are stuck at. */
  stuck: Record<Exclude<TubeState, 'resulted'>, string[]>;
  /** Every count equals the one before it: nothing went missing between the point and the lab. */
  balanced: boolean;
}

export function reconcile(tubes: readonly TubeFacts[]): Reconciliation {
  const stuck: Reconciliation['stuck'] = { sealed: [], boxed: [], 'handed-over': [], received: [] };
  const reached = { sealed: 0, boxed: 0, 'handed-over': 0, received: 0, resulted: 0 };
  for (const t of tubes) {
    const state = tubeStateOf(t);
    const index = TUBE_STATES.indexOf(state);
    for (const s of TUBE_STATES.slice(0, index + 1)) reached[s]++;
    if (state !== 'resulted') stuck[state].push(t.tubeCode);
  }
  return {
    sealed: reached.sealed,
    boxed: reached.boxed,
    handedOver: reached['handed-over'],
    received: reached.received,
    resulted: reached.resulted,
    stuck,
    balanced: reached.sealed === reached.boxed && reached.boxed === reached['handed-over'] && reached['handed-over'] === reached.received,
  };
}
