// How often one device may search the roster. A search hands out names and codes, so a device
// that searches far more than a desk ever needs is refused: the roster cannot be listed from it.
import { SEARCHES_PER_MINUTE } from '../../shared/residentSearch';
import { TokenBucket } from '../socket/rateLimit';

/** Searches a device may make at once (a few queries while typing a room) before the rate applies. */
export const SEARCH_BURST = 10;
/** Devices remembered at once; past this the oldest are forgotten (memory stays bounded). */
const MAX_TRACKED = 10_000;

/** The seam a shared limiter (one per site, across nodes) can take the place of. */
export interface SearchLimiter {
  /** Takes one search for the device; false when it is over its rate. */
  take(device: string): boolean;
}

/** Per node, in memory, like the login throttle: with N nodes a device gets N times the rate. */
export class MemorySearchLimiter implements SearchLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly now: () => number = Date.now) {}

  take(device: string): boolean {
    let bucket = this.buckets.get(device);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = new TokenBucket(SEARCHES_PER_MINUTE / 60, SEARCH_BURST, this.now);
      this.buckets.set(device, bucket);
    }
    return bucket.take();
  }
}
