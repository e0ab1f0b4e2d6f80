/** Wrong PINs allowed from one address in one window before every login from it is refused. */
export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_MS = 5 * 60_000;
/** Addresses remembered at once; past this the oldest windows are forgotten (memory stays bounded). */
const MAX_TRACKED = 10_000;

/**
 * Counts wrong PINs per client address. Only failures count: every kiosk and tablet of a site may
 * sit behind one NAT address and log in at the same moment each morning. A 4-digit PIN has 10,000
 * values, so 10 guesses per 5 minutes makes guessing take weeks. Per node: with N nodes an attacker
 * gets N × 10 guesses per window, still far from enough.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until this address may try again; 0 when it may try now. */
  blockedFor(address: string): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    const left = entry.until - this.now();
    if (left <= 0) {
      this.failures.delete(address);
      return 0;
    }
    return entry.count >= MAX_FAILED_LOGINS ? left : 0;
  }

  failed(address: string): void {
    const t = this.now();
    const entry = this.failures.get(address);
    if (entry && entry.until > t) {
      entry.count += 1;
      return;
    }
    this.failures.delete(address);
    if (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(address, { count: 1, until: t + FAILED_LOGIN_WINDOW_MS });
  }
}
