// Kysely table types of the lab feature (migration 0006_lab).
import type { Generated } from 'kysely';
import type { BoxState } from '../../shared/labApi';
import type { RetestReason, TubeResult } from '../../shared/labResults';

export interface BoxesTable {
  id: Generated<number>;
  round_id: number;
  code: string;
  state: BoxState;
  opened_at: string;
  closed_at: string | null;
  courier_name: string | null;
  courier_phone_enc: string | null;
  handed_over_at: string | null;
  receiver_name: string | null;
  received_count: number | null;
  received_at: string | null;
}

export interface BoxTubesTable {
  group_id: number;
  box_id: number;
  added_at: string;
}

export interface TubeResultsTable {
  group_id: number;
  result: TubeResult;
  resulted_at: string;
}

export interface RetestsTable {
  round_id: number;
  resident_id: number;
  reason: RetestReason;
  /** The tube whose result asked for the retest. */
  group_id: number;
  attempt: number;
  created_at: string;
}
