// How crowded a sampling point is, from its estimated wait: the words cities published per point
// (Shenzhen: 畅通 under 25 min, 忙碌 25–50 min, 拥堵 from 50 min). Staff may move the thresholds.
export const CROWDING_LEVELS = ['clear', 'busy', 'jammed'] as const;
export type CrowdingLevel = (typeof CROWDING_LEVELS)[number];

/** Minutes of wait from which a point is busy, and from which it is jammed. */
export interface CrowdingThresholds {
  busyMinutes: number;
  jammedMinutes: number;
}

export const DEFAULT_CROWDING: CrowdingThresholds = { busyMinutes: 25, jammedMinutes: 50 };

/** The level for an estimated wait; null when the wait cannot be estimated yet (too few sampled groups). */
export function crowdingOf(waitMinutes: number | null, t: CrowdingThresholds = DEFAULT_CROWDING): CrowdingLevel | null {
  if (waitMinutes === null) return null;
  if (waitMinutes >= t.jammedMinutes) return 'jammed';
  if (waitMinutes >= t.busyMinutes) return 'busy';
  return 'clear';
}
