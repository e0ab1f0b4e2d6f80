// The hall around a sampling point: how many groups may be indoors, how many desks sample,
// and the announcement banner. Requests are validated with these schemas at the edge.
import { z } from 'zod';
import { key, pointCode } from './ids';

export const MAX_ANNOUNCEMENT = 60;
export const MAX_CAPACITY = 50;
export const MAX_DESKS = 9;

const memberId = z.number().int().positive();

/** Staff or a volunteer puts up a banner ("请带好钥匙"); null takes it down. */
export const AnnounceRequest = z.strictObject({
  key,
  text: z
    .string()
    .trim()
    .min(1, 'the announcement is empty')
    .max(MAX_ANNOUNCEMENT, `an announcement has at most ${MAX_ANNOUNCEMENT} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'an announcement is one line of text')
    .nullable(),
});
export type AnnounceRequest = z.infer<typeof AnnounceRequest>;

/** capacity null: no limit on the groups indoors. */
export const HallSettingsRequest = z.strictObject({
  key,
  point: pointCode,
  capacity: z.number().int().min(1).max(MAX_CAPACITY).nullable(),
  desks: z.number().int().min(1).max(MAX_DESKS),
});
export type HallSettingsRequest = z.infer<typeof HallSettingsRequest>;

/** A volunteer ticks a member off at the door (present) or takes the tick back. */
export const MemberPresentRequest = z.strictObject({ key, memberId, present: z.boolean() });
export type MemberPresentRequest = z.infer<typeof MemberPresentRequest>;

/** An absent member turned up after all: they join the group now forming at the same point. */
export const MemberMoveRequest = z.strictObject({ key, memberId });
export type MemberMoveRequest = z.infer<typeof MemberMoveRequest>;

export interface PointHall {
  point: string;
  /** Groups allowed indoors (called or sampling) at once; null: no limit. */
  capacity: number | null;
  desks: number;
}

export interface HallView {
  announcement: { text: string; at: string } | null;
  points: PointHall[];
}

export const DEFAULT_HALL: Omit<PointHall, 'point'> = { capacity: null, desks: 1 };

/** Whether another group may be called in while `indoors` groups are already called or sampling. */
export function hasRoom(hall: Pick<PointHall, 'capacity'>, indoors: number): boolean {
  return hall.capacity === null || indoors < hall.capacity;
}

/**
 * The desk a newly called group goes to: the one with the fewest groups called to it or
 * sampling at it (the lowest number on a tie). `busy` holds the desk of each such group.
 */
export function leastBusyDesk(desks: number, busy: readonly (number | null)[]): number {
  const load = Array.from({ length: desks }, () => 0);
  for (const d of busy) if (d !== null && d >= 1 && d <= desks) load[d - 1]++;
  let best = 0;
  for (let d = 1; d < desks; d++) if (load[d] < load[best]) best = d;
  return best + 1;
}
