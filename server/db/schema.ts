import type { Generated, Kysely } from 'kysely';
import type { GroupState } from '../../shared/groupStates';
import type { MemberStatus } from '../../shared/protocol';
import type { VisitReason, VisitStatus } from '../../shared/homeVisits';
import type { IdType } from '../../shared/idTypes';
import type { HouseholdTubesTable, ScanConflictsTable } from './kioskTubeTables';
import type { BoxesTable, BoxTubesTable, RetestsTable, TubeResultsTable } from './labTables';
import type { HomeTeamsTable } from './teamTables';

// Times are ISO-8601 text in both SQLite and PostgreSQL, so rows read back identically.

export interface CountersTable {
  name: string;
  value: number;
}

export interface RoundsTable {
  id: Generated<number>;
  name: string;
  date: string;
  opened_at: string;
  closed_at: string | null;
}

export interface PointsTable {
  id: Generated<number>;
  code: string;
  name: string;
  pool_size: number;
  created_at: string;
  /** 0 once a later round left the point out (rounds and coverage); its groups stay on record. */
  active: Generated<number>;
}

export interface ResidentsTable {
  id: Generated<number>;
  /** Random id carried in the resident code; reveals nothing. */
  uid: string;
  name: string;
  /** ID type code (shared/idTypes.ts); resident-id for everyone imported before ID types. */
  id_type: Generated<IdType>;
  /** Keyed hash of the ID type and number (`idKey`): finds a resident from a typed ID without storing it in clear. */
  id_hash: string;
  id_masked: string;
  /** ID number and phone, encrypted with the install key; only staff exports decrypt them. */
  id_enc: string;
  phone_enc: string | null;
  /** A passport's nationality; empty for other types. */
  nationality: Generated<string>;
  /** Someone without an ID (无证件): why, and who confirmed them; staff only. */
  id_note: Generated<string>;
  building: string;
  unit: string;
  room: string;
  household: string;
  /** JSON array of tags. */
  tags: string;
  /** Pinyin initials of the name (zsf for 张三丰), for kiosk search; the store fills it on every write. */
  name_initials: string;
  created_at: string;
  updated_at: string;
}

export interface GroupsTable {
  id: Generated<number>;
  round_id: number;
  point_id: number;
  seq: number;
  label: string;
  kind: 'pooled' | 'single';
  pool_size: number;
  state: GroupState;
  priority: number;
  tube_code: string | null;
  created_at: string;
  closed_at: string | null;
  called_at: string | null;
  started_at: string | null;
  sampled_at: string | null;
}

export interface MembersTable {
  id: Generated<number>;
  group_id: number;
  round_id: number;
  resident_id: number;
  position: number;
  status: MemberStatus;
  scanned_at: string;
  device: string;
  /** 0 for the round's sample; 1, 2 … for retest samples of a person on the retest list (lab). */
  retest: Generated<number>;
}

/** Replies to writes, by idempotency key: a replayed request gets the first reply, nothing is written twice. */
export interface RequestsTable {
  key: string;
  reply: string;
  created_at: string;
  /** Fingerprint of the request (kiosk tubes migration): a key replayed with another request is refused. */
  request_hash: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  role: string;
  device: string;
  action: string;
  subject: string;
  detail: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** The desk a called or sampling group was sent to (hall); the row goes when the group is recalled. */
export interface HallDesksTable {
  group_id: number;
  desk: number;
}

/** Members a volunteer ticked off at the door (hall). */
export interface HallPresenceTable {
  member_id: number;
}

// ---- rounds and coverage ----
export interface ScheduleSlotsTable {
  id: Generated<number>;
  round_id: number;
  building: string;
  point: string;
  starts_at: string;
  ends_at: string;
}

export interface HomeVisitsTable {
  id: Generated<number>;
  round_id: number;
  resident_id: number;
  reason: VisitReason;
  /** The home-sampling team it is assigned to. */
  team: string | null;
  status: VisitStatus;
  /** The tube (a group at the home point) the person was sampled into. */
  group_id: number | null;
  updated_at: string;
}

/** Sessions logged out before their tokens expire (migration 0010). */
export interface RevokedTokensTable {
  /** The session id every token of one login carries (renewals keep it). */
  id: string;
  /** ISO time after which no token of the session can be valid: the row may go. */
  expires_at: string;
}

/** People registered and sampled per round, kept by triggers (migration 0007). */
export interface RoundCountsTable {
  round_id: number;
  /** PostgreSQL: the sampling point, so points' scans never wait for one row; SQLite: 0. A round's counts are the sum. */
  shard: Generated<number>;
  registered: number;
  sampled: number;
}

export interface Database {
  counters: CountersTable;
  rounds: RoundsTable;
  points: PointsTable;
  residents: ResidentsTable;
  groups: GroupsTable;
  members: MembersTable;
  requests: RequestsTable;
  audit: AuditTable;
  settings: SettingsTable;
  // ---- hall ----
  hall_desks: HallDesksTable;
  hall_presence: HallPresenceTable;
  // ---- lab ----
  boxes: BoxesTable;
  box_tubes: BoxTubesTable;
  tube_results: TubeResultsTable;
  retests: RetestsTable;
  // ---- rounds and coverage ----
  schedule_slots: ScheduleSlotsTable;
  home_visits: HomeVisitsTable;
  // ---- kiosk tubes ----
  household_tubes: HouseholdTubesTable;
  scan_conflicts: ScanConflictsTable;
  round_counts: RoundCountsTable;
  // ---- access tokens ----
  revoked_tokens: RevokedTokensTable;
  home_teams: HomeTeamsTable;
  // (tables above this line)
}

export type Db = Kysely<Database>;
