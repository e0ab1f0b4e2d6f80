import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeFanout, FANOUT_INTERVAL_MS } from '../../server/socket/changeFanout';
import type { Change } from '../../shared/protocol';

const change = (version: number): Change => ({ version, groups: [], counts: { registered: version, sampled: 0, waitingGroups: 0 } });

/** What the clients received, as "from..version" (or "version"), in order. */
function recorder() {
  const got: string[] = [];
  const send = (c: Change) => void got.push(c.from === undefined ? String(c.version) : `${c.from}..${c.version}`);
  return { got, send };
}

beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] }));
afterEach(() => void vi.useRealTimers());

describe('fan-out of committed changes', () => {
  it('when quiet, sends a change in the next turn of the event loop, with those committed alongside it', () => {
    const { got, send } = recorder();
    const broadcast = changeFanout(send);
    broadcast(change(1));
    broadcast(change(2));
    expect(got).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(got).toEqual(['1..2']);
  });

  it('under load, sends at most once per interval, merging what was committed meanwhile', () => {
    const { got, send } = recorder();
    const broadcast = changeFanout(send);
    broadcast(change(1));
    vi.advanceTimersToNextTimer();
    for (let v = 2; v <= 30; v++) broadcast(change(v));
    vi.advanceTimersByTime(FANOUT_INTERVAL_MS - 1);
    expect(got).toEqual(['1']);
    vi.advanceTimersByTime(1);
    expect(got).toEqual(['1', '2..30']);
  });

  it("keeps a gap (another node's version) visible, in version order", () => {
    const { got, send } = recorder();
    const broadcast = changeFanout(send);
    broadcast(change(4));
    broadcast(change(1));
    broadcast(change(2)); // 3 was another node's: the runs on either side stay apart
    vi.runAllTimers();
    expect(got).toEqual(['1..2', '4']);
  });
});
