import type { Selectable } from 'kysely';
import type { Dialect } from '../db/connect';
import type { GroupsTable, PointsTable, ResidentsTable, RoundsTable } from '../db/schema';
import type { Counts, GroupView } from '../../shared/protocol';
import type { Tag } from '../../shared/tags';

export type ResidentRow = Selectable<ResidentsTable>;
export type PointRow = Selectable<PointsTable>;
export type RoundRow = Selectable<RoundsTable>;
export type GroupRow = Selectable<GroupsTable>;

export type NewResident = Omit<ResidentRow, 'id'>;

export interface AuditEntry {
  role: string;
  device: string;
  action: string;
  subject: string;
  detail: string;
}

/** Where a person already stands this round. */
export interface Membership {
  memberId: number;
  groupLabel: string;
  point: string;
  at: string;
}

/**
 * Everything the services read and write, inside one transaction. The same code runs on
 * SQLite (embedded) and PostgreSQL (scale-out); what differs (row locks) is hidden here.
 */
export interface StoreTx {
  setting(key: string): Promise<string | null>;
  /** Writes a setting; with overwrite false an existing value is kept. Returns whether it wrote. */
  putSetting(key: string, value: string, overwrite: boolean): Promise<boolean>;

  findReply(key: string): Promise<string | null>;
  saveReply(key: string, reply: string, at: string): Promise<void>;

  residentByUid(uid: string): Promise<ResidentRow | null>;
  residentByIdHash(hash: string): Promise<ResidentRow | null>;
  residentsByIdHash(hashes: string[]): Promise<ResidentRow[]>;
  insertResidents(rows: NewResident[]): Promise<void>;
  updateResident(id: number, row: Partial<NewResident>): Promise<void>;
  insertResident(row: NewResident): Promise<ResidentRow>;

  currentRound(): Promise<RoundRow | null>;
  openRound(name: string, date: string, at: string): Promise<RoundRow>;
  points(): Promise<PointRow[]>;
  insertPoint(code: string, name: string, poolSize: number, at: string): Promise<void>;
  /** Reads a point and, on PostgreSQL, locks it: scans at one point are placed one at a time. */
  lockPoint(code: string): Promise<PointRow | null>;

  membership(roundId: number, residentId: number): Promise<Membership | null>;
  /** The pooled group filling at a point: one for green-channel (priority) people, one for the rest. */
  formingGroup(roundId: number, pointId: number, priority: boolean): Promise<GroupRow | null>;
  /** Reads a group and, on PostgreSQL, locks it. */
  lockGroup(id: number): Promise<GroupRow | null>;
  groupByTube(tubeCode: string): Promise<GroupRow | null>;
  nextGroupSeq(roundId: number, pointId: number): Promise<number>;
  insertGroup(row: Omit<GroupRow, 'id'>): Promise<number>;
  updateGroup(id: number, patch: Partial<Omit<GroupRow, 'id'>>): Promise<void>;
  activeMemberCount(groupId: number): Promise<number>;
  insertMember(row: { group_id: number; round_id: number; resident_id: number; position: number; scanned_at: string; device: string }): Promise<number>;
  memberById(id: number): Promise<{ id: number; group_id: number; status: string } | null>;
  setMemberStatus(id: number, status: 'queued' | 'absent' | 'sampled'): Promise<void>;
  setGroupMembersSampled(groupId: number): Promise<void>;
  /** The oldest waiting group at a point (priority groups first), locked. */
  nextWaitingGroup(roundId: number, pointId: number): Promise<GroupRow | null>;

  /** Takes the next change version; on PostgreSQL this row lock also orders commits. */
  bumpVersion(): Promise<number>;
  version(): Promise<number>;
  groupViews(ids: number[]): Promise<GroupView[]>;
  /** Groups still in the queue and the most recently sampled ones. */
  liveGroupViews(roundId: number, recentSampled: number): Promise<GroupView[]>;
  counts(roundId: number): Promise<Counts>;
  audit(entry: AuditEntry, at: string): Promise<void>;

  buildings(): Promise<{ building: string; households: number; residents: number }[]>;
  residentsOfBuilding(building: string): Promise<ResidentRow[]>;
  // (feature sections above this line)
}

export interface Store {
  readonly dialect: Dialect;
  /** A write transaction, tried again when it lost a race with another node. */
  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** A read that sees one consistent state. */
  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function parseTags(json: string): Tag[] {
  return JSON.parse(json) as Tag[];
}
