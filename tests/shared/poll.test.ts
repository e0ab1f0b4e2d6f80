import { describe, expect, it } from 'vitest';
import { nextPollMs, POLL_MAX_S, POLL_MIN_S, POLL_MISSING_S, POLL_RETRY_MAX_MS } from '../../shared/poll';

describe('how often a polled page asks', () => {
  it('asks when the last answer says, kept between the shortest and the longest wait', () => {
    expect(nextPollMs(0, { pollS: 12 })).toBe(12_000);
    expect(nextPollMs(0, { pollS: 1 })).toBe(POLL_MIN_S * 1000);
    expect(nextPollMs(0, { pollS: 3600 })).toBe(POLL_MAX_S * 1000);
    // Nothing at the path (404): it asks again in a while, in case the group shows up.
    expect(nextPollMs(0, null)).toBe(POLL_MISSING_S * 1000);
  });

  it('waits longer after each failure, up to half a minute, however soon the last answer asked it back', () => {
    expect([1, 2, 3].map((n) => nextPollMs(n, { pollS: 5 }))).toEqual(
      [2, 4, 8].map((n) => Math.min(n * POLL_MIN_S * 1000, POLL_RETRY_MAX_MS)),
    );
    expect(nextPollMs(1, { pollS: 60 })).toBe(2 * POLL_MIN_S * 1000);
    expect(nextPollMs(20, null)).toBe(POLL_RETRY_MAX_MS);
    expect(POLL_RETRY_MAX_MS).toBeLessThanOrEqual(30_000);
  });
});
