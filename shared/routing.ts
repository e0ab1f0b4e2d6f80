import type { Tag } from './tags';

/** Where a scanned person goes: a pooled tube, their own tube, or a home visit. */
export type Route = 'pooled' | 'single-tube' | 'home';

/**
 * Sealed-building residents are sampled door to door, never at the point;
 * quarantined and key people are sampled alone (单采); everyone else is pooled.
 */
export function routeFor(tags: readonly Tag[]): Route {
  if (tags.includes('sealed')) return 'home';
  if (tags.includes('quarantine')) return 'single-tube';
  return 'pooled';
}
