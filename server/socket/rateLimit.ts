/**
 * A token bucket for one client: `perSecond` requests a second on average, bursts up to `burst`.
 * A hand scanner reads at most about 2 codes a second; anything far above is a stuck key, a
 * replaying bug or a script, and is refused before it reaches the database.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the client is over its rate. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Scans (and walk-ins) one kiosk socket may send a second, sustained. */
export const SCANS_PER_SECOND = 20;
/** At once: a kiosk back online sends the scans it took offline in one go (its outbox). */
export const SCAN_BURST = 100;
