// Home sampling (上门采样): who is visited at home instead of coming to a point.
import type { Tag } from './tags';

/** staff: added by staff; retest: sent by staff from the lab's retest list for a single-tube retest at home. */
export const VISIT_REASONS = ['sealed', 'bedridden', 'immobile', 'infant', 'staff', 'retest'] as const;
export type VisitReason = (typeof VISIT_REASONS)[number];

export const VISIT_STATUSES = ['pending', 'done', 'not-home'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** Tags that put a resident on the visit list, first the one that outranks the rest (a sealed building). */
export const TAG_VISIT_REASONS = ['sealed', 'bedridden', 'immobile', 'infant'] as const satisfies readonly (VisitReason & Tag)[];

/** Why a resident's tags put them on the visit list, or null (the store keeps the list by the same order). */
export function visitReasonFor(tags: readonly Tag[]): (typeof TAG_VISIT_REASONS)[number] | null {
  for (const reason of TAG_VISIT_REASONS) if (tags.includes(reason)) return reason;
  return null;
}

/** The floor of a room number such as 501, 1203 or 12-03 (floor 5, 12, 12); empty when it has none. */
export function floorOf(room: string): string {
  const dashed = /^(\d+)-\d+$/.exec(room);
  if (dashed) return String(Number(dashed[1]));
  const digits = /^(\d+)$/.exec(room);
  if (digits && digits[1].length >= 3) return String(Number(digits[1].slice(0, -2)));
  return '';
}

/** Home tubes: one person alone, or one household together (封控: one household per tube). */
export const HOME_TUBE_KINDS = ['single', 'household'] as const;
export type HomeTubeKind = (typeof HOME_TUBE_KINDS)[number];

/**
 * Home samples are groups at this reserved point: four letters, so no kiosk can name it
 * (a kiosk's point code is 1–3 letters) and it is never offered as a sampling point.
 */
export const HOME_POINT = 'HOME';

/** Visits staff put on the list by hand (not derived from tags), which staff may take off again. */
export function isStaffAdded(reason: VisitReason): boolean {
  return reason === 'staff' || reason === 'retest';
}
