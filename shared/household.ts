// A household is one room in one building unit; it is written 3-2-501 (building-unit-room).

export interface Address {
  building: string;
  unit: string;
  room: string;
}

const BUILDING_SUFFIX = /(号楼|号|栋|幢|座|楼)$/;
const UNIT_SUFFIX = /(单元|门)$/;
const ROOM_SUFFIX = /(室|号|户)$/;

/** Strips the suffixes spreadsheets add (3号楼 → 3, 2单元 → 2, 501室 → 501). */
export function normalizeAddress(a: Address): Address {
  return {
    building: clean(a.building, BUILDING_SUFFIX),
    unit: clean(a.unit, UNIT_SUFFIX),
    room: clean(a.room, ROOM_SUFFIX),
  };
}

function clean(s: string, suffix: RegExp): string {
  return s.trim().replace(/\s+/g, '').replace(suffix, '');
}

export function householdKey(a: Address): string {
  return a.unit ? `${a.building}-${a.unit}-${a.room}` : `${a.building}-${a.room}`;
}
