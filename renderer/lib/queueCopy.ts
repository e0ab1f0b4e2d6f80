// The last queue a page saw, kept on the device so a reload while the server is away (a Wi-Fi
// drop; the page itself comes from the service worker's cache) still shows it, marked with the
// time it was last live. Only pages that ask keep one; it holds what every public screen shows
// (group views with masked names), nothing more.
import type { Snapshot } from '../../shared/protocol';

const KEY = 'nat-queue.queue-copy';
/** Written at most this often while changes stream in. */
export const COPY_EVERY_MS = 2_000;

export interface QueueCopy {
  /** When this data was last known to be current (ms since epoch). */
  liveAt: number;
  snapshot: Snapshot;
}

export function loadQueueCopy(): QueueCopy | null {
  try {
    const copy = JSON.parse(localStorage.getItem(KEY) ?? 'null') as QueueCopy | null;
    return copy && typeof copy.liveAt === 'number' && Array.isArray(copy.snapshot?.groups) ? copy : null;
  } catch {
    return null;
  }
}

export function saveQueueCopy(copy: QueueCopy): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(copy));
  } catch {
    // Storage full or refused: the page works as before, without a copy for the next reload.
  }
}
