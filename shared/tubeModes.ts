// How a kiosk fills tubes: pooled (10-in-1), one tube per person, or one tube per household
// (sealed compounds sampled door to door, 封控区 一户一管).
export const TUBE_MODES = ['pooled', 'single', 'household'] as const;
export type TubeMode = (typeof TUBE_MODES)[number];

/** The household tube now open at a point, as the placement rule needs it. */
export interface OpenHouseholdTube {
  household: string;
  size: number;
  poolSize: number;
}

/**
 * Where a person scanned in household mode goes: into the open household tube when they
 * live there and it has room, otherwise into a new tube (the open one, if any, is closed).
 * People with no known household (no room on the roster) always get a tube of their own.
 */
export function householdSlot(
  open: OpenHouseholdTube | null,
  household: string,
): { join: true; position: number; full: boolean } | { join: false; closeOpen: boolean } {
  if (open && household !== '' && open.household === household && open.size < open.poolSize) {
    const position = open.size + 1;
    return { join: true, position, full: position === open.poolSize };
  }
  return { join: false, closeOpen: open !== null };
}
