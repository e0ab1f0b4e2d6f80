// Phone pages that poll a cacheable answer instead of holding a socket (a resident's turn page,
// /points): at city scale a socket per phone would be a socket per resident. Every answer says when
// to ask again, so the server, not each page, sets how many answers a second its phones cost.

/** What every polled answer carries besides its view. */
export interface Polled {
  /** Seconds until the page asks again (shared/turnView.ts turnPollS, shared/pointsView.ts). */
  pollS: number;
}

/**
 * How long the browser or a proxy may reuse an answer (Cache-Control max-age): never longer than the
 * shortest wait an answer asks for, so a phone near its turn never gets a copy older than its pace.
 */
export const POLL_MAX_AGE_S = 5;
/** The shortest and longest waits an answer may ask for. */
export const POLL_MIN_S = POLL_MAX_AGE_S;
export const POLL_MAX_S = 60;
/** After a failure (no answer, a 5xx) the page waits POLL_MIN_S doubled each time, up to this. */
export const POLL_RETRY_MAX_MS = 30_000;
/** A 404 (no such group, e.g. a mistyped link) carries no wait: the page asks again after this. */
export const POLL_MISSING_S = 15;

/** The wait before the next question: as the last answer says, or after `failures` failures in a row, backing off. */
export function nextPollMs(failures: number, answer: Polled | null): number {
  if (failures > 0) return Math.min(POLL_MIN_S * 1000 * 2 ** failures, POLL_RETRY_MAX_MS);
  return 1000 * Math.min(POLL_MAX_S, Math.max(POLL_MIN_S, answer?.pollS ?? POLL_MISSING_S));
}
