import { describe, expect, it } from 'vitest';
import { TURN_NEAR_AHEAD, TURN_POLL_FAR_MS, TURN_POLL_MAX_MS, TURN_POLL_MS, type TurnView } from '../../shared/turnView';
import { nextPollIn } from '../../renderer/lib/useTurnPoll';

describe('how often a turn page asks', () => {
  it('asks every few seconds while answered, and waits longer after each failure, up to half a minute', () => {
    expect(nextPollIn(0)).toBe(TURN_POLL_MS);
    expect([1, 2, 3].map((n) => nextPollIn(n))).toEqual([2, 4, 8].map((n) => Math.min(n * TURN_POLL_MS, TURN_POLL_MAX_MS)));
    expect(nextPollIn(20)).toBe(TURN_POLL_MAX_MS);
    expect(TURN_POLL_MAX_MS).toBeLessThanOrEqual(30_000);
  });

  it('asks less often while many groups go first, and every few seconds once near, called or gone', () => {
    const view = (state: TurnView['state'], ahead: number): TurnView => ({ id: 1, label: 'A-001', state, ahead, minutes: null, desk: null });
    expect(nextPollIn(0, view('waiting', TURN_NEAR_AHEAD + 1))).toBe(TURN_POLL_FAR_MS);
    expect(nextPollIn(0, view('forming', 20))).toBe(TURN_POLL_FAR_MS);
    expect(nextPollIn(0, view('waiting', TURN_NEAR_AHEAD))).toBe(TURN_POLL_MS);
    expect(nextPollIn(0, view('called', 0))).toBe(TURN_POLL_MS);
    expect(nextPollIn(0, null)).toBe(TURN_POLL_MS);
    // A failure is a failure, however far the group was.
    expect(nextPollIn(1, view('waiting', 20))).toBe(2 * TURN_POLL_MS);
  });
});
