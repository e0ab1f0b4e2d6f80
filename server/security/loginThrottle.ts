import type { Limiter, Limits } from '../limits/limits';

/** Wrong PINs allowed from one address in one window before every login from it is refused. */
export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_MS = 5 * 60_000;

/**
 * Counts wrong PINs per client address, on every node together. Only failures count: every kiosk
 * and tablet of a site may sit behind one NAT address and log in the same morning. A 4-digit PIN
 * has 10,000 values, so 10 guesses per 5 minutes makes guessing take weeks.
 *
 * Every attempt is counted before its PIN is checked, and given back when the PIN was right: a
 * check-then-count would let a volley of concurrent guesses all pass the check before any of them
 * is counted.
 */
export class LoginThrottle {
  private readonly tries: Limiter;

  constructor(limits: Limits) {
    this.tries = limits.limiter('login', { points: MAX_FAILED_LOGINS, seconds: FAILED_LOGIN_WINDOW_MS / 1000 });
  }

  /** Counts an attempt from this address; 0 when its PIN may be checked, else milliseconds until it may try again. */
  attempt(address: string): Promise<number> {
    return this.tries.take(address);
  }

  /** The PIN was right: the attempt does not count against the address. */
  succeeded(address: string): Promise<void> {
    return this.tries.refund(address);
  }
}
