import type { Generated, Kysely } from 'kysely';
import type { GroupState } from '../../shared/groupStates';
import type { MemberStatus } from '../../shared/protocol';

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
}

export interface ResidentsTable {
  id: Generated<number>;
  /** Random id carried in the resident code; reveals nothing. */
  uid: string;
  name: string;
  /** Keyed hash of the ID number: finds a resident from a typed ID without storing it in clear. */
  id_hash: string;
  id_masked: string;
  /** ID number and phone, encrypted with the install key; only staff exports decrypt them. */
  id_enc: string;
  phone_enc: string | null;
  building: string;
  unit: string;
  room: string;
  household: string;
  /** JSON array of tags. */
  tags: string;
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
}

/** Replies to writes, by idempotency key: a replayed request gets the first reply, nothing is written twice. */
export interface RequestsTable {
  key: string;
  reply: string;
  created_at: string;
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
  // (tables above this line)
}

export type Db = Kysely<Database>;
