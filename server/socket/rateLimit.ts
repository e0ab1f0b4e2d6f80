import type { Limiter, Limits } from '../limits/limits';

/** Scans (and walk-ins) one kiosk may send a second, sustained. */
export const SCANS_PER_SECOND = 20;
/** At once: a kiosk back online sends the scans it took offline in one go (its outbox). */
export const SCAN_BURST = 100;

/**
 * Scans per kiosk device (on every node together: a kiosk that reconnects to another node keeps its
 * budget). A hand scanner reads at most about 2 codes a second; anything far above is a stuck key, a
 * replaying bug or a script, and is refused before it reaches the database. Beyond the 20 a second,
 * a burst may draw 80 more from an allowance that refills every 5 s, the time a drained bucket of
 * 100 takes at 20 a second; a flood is held to at most 36 a second.
 */
export function scanLimiter(limits: Limits): Limiter {
  return limits.limiter(
    'scans',
    { points: SCANS_PER_SECOND, seconds: 1 },
    { points: SCAN_BURST - SCANS_PER_SECOND, seconds: SCAN_BURST / SCANS_PER_SECOND },
  );
}
