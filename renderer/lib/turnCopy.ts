// The last answer a turn page got for its group, kept on the phone so a reload while the server is
// away (the page itself comes from the service worker's cache) still shows it, marked with the time
// it was last live. It holds the group's public progress only (shared/turnView.ts), nothing personal.
import type { TurnView } from '../../shared/turnView';

const KEY = 'nat-queue.turn-copy';

export interface TurnCopy {
  /** When this answer was last known to be current (ms since epoch). */
  liveAt: number;
  view: TurnView;
}

/** The copy of this group's answer, if the phone keeps one. */
export function loadTurnCopy(group: number): TurnCopy | null {
  try {
    const copy = JSON.parse(localStorage.getItem(KEY) ?? 'null') as TurnCopy | null;
    return copy && typeof copy.liveAt === 'number' && copy.view?.id === group ? copy : null;
  } catch {
    return null;
  }
}

export function saveTurnCopy(copy: TurnCopy): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(copy));
  } catch {
    // Storage full or refused: the page works as before, without a copy for the next reload.
  }
}
