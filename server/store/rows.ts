// The rows the feature stores read and write, apart from store.ts so that file can name the
// feature stores without a cycle back through their row types.
import type { Selectable } from 'kysely';
import type { ScanConflictsTable } from '../db/kioskTubeTables';
import type { GroupsTable, PointsTable, ResidentsTable, RoundsTable } from '../db/schema';

export type ResidentRow = Selectable<ResidentsTable>;
export type PointRow = Selectable<PointsTable>;
export type RoundRow = Selectable<RoundsTable>;
export type GroupRow = Selectable<GroupsTable>;
export type ScanConflictRow = Selectable<ScanConflictsTable>;

/** Derived columns (name_initials) are filled by the store itself. */
export type NewResident = Omit<ResidentRow, 'id' | 'name_initials'>;

/** Where a person already stands this round. */
export interface Membership {
  memberId: number;
  groupLabel: string;
  point: string;
  at: string;
}

/** A write's reply as kept under its idempotency key. */
export interface SavedReply {
  key: string;
  reply: string;
  at: string;
  /** The request's fingerprint (null: none kept). */
  requestHash: string | null;
}
