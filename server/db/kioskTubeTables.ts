import type { Generated } from 'kysely';

/** A household-mode tube: the group holding one household (sealed compounds, 一户一管). */
export interface HouseholdTubesTable {
  group_id: number;
  household: string;
}

/** An offline scan that, replayed, found the person already placed: staff must look into it. */
export interface ScanConflictsTable {
  id: Generated<number>;
  round_id: number;
  resident_id: number;
  /** The replayed scan's idempotency key: one conflict per scan. */
  request_key: string;
  point: string;
  device: string;
  scanned_at: string;
  previous_point: string;
  previous_group: string;
  previous_at: string;
  recorded_at: string;
}
