import { mergeChanges } from '../../shared/changeMerge';
import type { Change } from '../../shared/protocol';

/**
 * The least time between two broadcasts. At 500 scans a second a hall display would otherwise get
 * 500 messages a second, and a node with 500 listeners would send 250,000; one merged change per
 * tick keeps that at 20 a second per client. Measured at that load (BENCHMARKS.md): a 25 ms tick
 * spent more of the node's core on sends and gave a worse scan→display p99 (215 ms) than 50 ms
 * (144 ms), which still leaves half of the 100 ms a display may lag for the rest of the trip.
 */
export const FANOUT_INTERVAL_MS = 50;

/**
 * Sends committed changes to clients: when quiet, at once (in the same turn of the event loop, so
 * changes committed together travel together); under load, at most once per interval, each run of
 * consecutive versions merged into one change.
 */
export function changeFanout(send: (change: Change) => void, intervalMs = FANOUT_INTERVAL_MS) {
  let pending: Change[] = [];
  let lastSent = -Infinity;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    lastSent = performance.now();
    const out = mergeChanges(pending);
    pending = [];
    for (const change of out) send(change);
  };

  return (change: Change) => {
    pending.push(change);
    if (scheduled) return;
    scheduled = true;
    const wait = lastSent + intervalMs - performance.now();
    if (wait <= 0) setImmediate(flush);
    else setTimeout(flush, wait).unref();
  };
}
