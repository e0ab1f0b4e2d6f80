// Scans taken while the kiosk could not reach the server wait in its outbox and are replayed
// later. A replayed scan that finds the person already placed is a conflict for staff to
// resolve (the kiosk could not warn the sampler at the time): never silently dropped.

/** A scan that reaches the server this long after it was taken counts as taken offline. */
export const OFFLINE_GRACE_MS = 30_000;

export function takenOffline(req: { offline?: boolean; scannedAt?: string }, now: Date): boolean {
  if (req.offline) return true;
  if (!req.scannedAt) return false;
  return now.getTime() - Date.parse(req.scannedAt) > OFFLINE_GRACE_MS;
}

/** GET: staff only. Offline scans of people who were already placed, newest first. */
export const CONFLICTS_PATH = '/api/conflicts';

/** One person placed twice while a kiosk was offline. */
export interface ScanConflict {
  id: number;
  /** Full name: staff must find the person (staff pages only, never the display or logs). */
  name: string;
  household: string;
  /** Where the replayed offline scan was taken. */
  scan: { point: string; device: string; at: string };
  /** Where the person already stood when it arrived. */
  previous: { point: string; groupLabel: string; at: string };
  recordedAt: string;
}
