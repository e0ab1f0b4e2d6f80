import type { RetestReason } from './labResults';
import type { Tag } from './tags';

/** Where a scanned person goes: a pooled tube, their own tube, or a home visit. */
export type Route = 'pooled' | 'single-tube' | 'home';

/**
 * Sealed-building residents are sampled door to door, never at the point;
 * quarantined and key people, and people on the lab's retest list, are sampled alone (单采); everyone else is pooled.
 */
export function routeFor(tags: readonly Tag[], retest: RetestReason | null = null): Route {
  if (tags.includes('sealed')) return 'home';
  // A positive pool's members (or an invalid tube's) give their retest sample alone.
  if (tags.includes('quarantine') || retest) return 'single-tube';
  return 'pooled';
}
