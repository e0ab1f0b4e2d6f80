// How long until a group's turn, from how fast groups are being sampled right now.
import type { GroupView } from './protocol';

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

/** A group that has been called and sealed: when each happened. */
export interface SealedGroup {
  calledAt: string | Date | null;
  sampledAt: string | Date;
}

/**
 * The pace before there are enough seals to measure one: the time from the first of these groups
 * being called to the last seal, over the groups sealed. One sealed group already gives its own
 * call-to-seal time; several desks working at once make it shorter, as they should.
 * Null with no sealed group (or none with a call time).
 */
export function earlyMinutesPerGroup(sealed: readonly SealedGroup[]): number | null {
  const called = sealed.map((g) => (g.calledAt === null ? NaN : new Date(g.calledAt).getTime())).filter(Number.isFinite);
  const seals = sealed.map((g) => new Date(g.sampledAt).getTime()).filter(Number.isFinite);
  if (called.length === 0 || seals.length === 0) return null;
  const span = (Math.max(...seals) - Math.min(...called)) / 60_000;
  return span > 0 ? span / seals.length : null;
}

/** Minutes per group at a point: the measured pace once there is one, the early pace before. */
export function pace(sealed: readonly SealedGroup[], now: Date): number | null {
  return (
    minutesPerGroup(
      sealed.map((g) => g.sampledAt),
      now,
    ) ?? earlyMinutesPerGroup(sealed)
  );
}

/** Whole minutes until a group with `ahead` groups before it goes in; null when the pace is unknown. */
export function waitMinutes(ahead: number, perGroup: number | null): number | null {
  if (perGroup === null) return null;
  return Math.max(0, Math.ceil(ahead * perGroup));
}

/** Minutes per group at a point, at the pace its groups are being sampled (null: unknown yet). */
export function pointPace(groups: readonly GroupView[], point: string, now: Date): number | null {
  return pace(
    groups
      .filter((g) => g.point === point && g.sampledAt !== null)
      .map((g) => ({ calledAt: g.calledAt, sampledAt: g.sampledAt as string })),
    now,
  );
}

/** Minutes until `ahead` more groups at a point have gone in, at the pace its groups are being sampled. */
export function pointWait(groups: readonly GroupView[], point: string, ahead: number, now: Date): number | null {
  return waitMinutes(ahead, pointPace(groups, point, now));
}
