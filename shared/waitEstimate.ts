// How long until a group's turn, from how fast groups are being sampled right now.

/** Only recent work counts: a lunch break an hour ago says nothing about the pace now. */
export const THROUGHPUT_WINDOW_MIN = 30;
/** Fewer sampled groups than this in the window: too few to measure a pace. */
export const MIN_SAMPLES = 3;

/**
 * Minutes per group at a point, measured from the times its recent groups were sealed:
 * the span from the first to the last seal in the window, over the groups sealed after the first.
 * Null when there is not enough recent work to measure. Seal times are the server's clock and `now`
 * the reader's: a seal "in the future" (a phone whose clock is behind) moves the window's end to it.
 */
export function minutesPerGroup(sampledAt: readonly (string | Date)[], now: Date, windowMin = THROUGHPUT_WINDOW_MIN): number | null {
  const all = sampledAt.map((t) => new Date(t).getTime()).filter(Number.isFinite);
  const since = Math.max(now.getTime(), ...all) - windowMin * 60_000;
  const times = all.filter((t) => t >= since).sort((a, b) => a - b);
  if (times.length < MIN_SAMPLES) return null;
  const span = (times[times.length - 1] - times[0]) / 60_000;
  // Seals all within a moment of each other (several desks at once): no pace can be read from them.
  if (span <= 0) return null;
  return span / (times.length - 1);
}

/** Whole minutes until a group with `ahead` groups before it goes in; null when the pace is unknown. */
export function waitMinutes(ahead: number, perGroup: number | null): number | null {
  if (perGroup === null) return null;
  return Math.max(0, Math.ceil(ahead * perGroup));
}
