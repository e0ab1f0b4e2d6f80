import { describe, expect, it } from 'vitest';
import { TURN_POLL_MAX_MS, TURN_POLL_MS } from '../../shared/turnView';
import { nextPollIn } from '../../renderer/lib/useTurnPoll';

describe('how often a turn page asks', () => {
  it('asks every few seconds while answered, and waits longer after each failure, up to half a minute', () => {
    expect(nextPollIn(0)).toBe(TURN_POLL_MS);
    expect([1, 2, 3].map(nextPollIn)).toEqual([2, 4, 8].map((n) => Math.min(n * TURN_POLL_MS, TURN_POLL_MAX_MS)));
    expect(nextPollIn(20)).toBe(TURN_POLL_MAX_MS);
    expect(TURN_POLL_MAX_MS).toBeLessThanOrEqual(30_000);
  });
});
