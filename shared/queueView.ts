// What a client keeps of the queue, and how each change moves it on, written once: the pages' queue
// store and the tests' listeners draw with the same reducer, so a test's view is the page's view.
import { follows } from './changeMerge';
import { DEFAULT_CROWDING, type CrowdingThresholds } from './crowding';
import type { HallView } from './hall';
import type { Change, Counts, GroupView, Snapshot } from './protocol';
import type { ScheduleSlot } from './schedule';

export interface QueueView {
  version: number;
  groups: Map<number, GroupView>;
  counts: Counts;
  hall: HallView | null;
  schedule: ScheduleSlot[];
  crowding: CrowdingThresholds;
}

/** A fresh view from a snapshot (round and points are the snapshot's alone: changes never carry them). */
export function viewOfSnapshot(s: Snapshot): QueueView {
  return {
    version: s.version,
    groups: new Map(s.groups.map((g) => [g.id, g])),
    counts: s.counts,
    hall: s.hall ?? null,
    schedule: s.schedule ?? [],
    crowding: s.crowding ?? DEFAULT_CROWDING,
  };
}

/**
 * How a change fits a view at `version`: `next` moves it on, `old` was seen already (ignore it),
 * `gap` means some change never arrived (take a new snapshot).
 */
export function fitOf(version: number, c: Change): 'next' | 'old' | 'gap' {
  if (c.version <= version) return 'old';
  return follows(version, c) ? 'next' : 'gap';
}

/**
 * Moves the view on by a change that fits it (`next`), in place. A cancelled group leaves the view,
 * as it leaves every later snapshot; what the change does not carry (hall, schedule, crowding) stays.
 */
export function applyChange(view: QueueView, c: Change): void {
  for (const g of c.groups) {
    if (g.state === 'cancelled') view.groups.delete(g.id);
    else view.groups.set(g.id, g);
  }
  view.counts = c.counts;
  if (c.hall) view.hall = c.hall;
  if (c.schedule) view.schedule = c.schedule;
  if (c.crowding) view.crowding = c.crowding;
  view.version = c.version;
}
