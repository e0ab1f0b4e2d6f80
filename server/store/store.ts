import type { Selectable } from 'kysely';
import type { Dialect } from '../db/connect';
import type { ScanConflictsTable } from '../db/kioskTubeTables';
import type { GroupsTable, PointsTable, ResidentsTable, RoundsTable } from '../db/schema';
import type { Counts, GroupView } from '../../shared/protocol';
import type { Tag } from '../../shared/tags';
import type { LabTx } from './labStore';
import type { ResidentsTx } from './residentStore';
import type { HallTx } from './hallStore';
import type { RoundsTx } from './roundStore';
import type { HomeVisitsTx } from './homeVisitStore';
import type { TokenTx } from './tokenStore';
import type { TeamsTx } from './teamStore';

export type ResidentRow = Selectable<ResidentsTable>;
export type PointRow = Selectable<PointsTable>;
export type RoundRow = Selectable<RoundsTable>;
export type GroupRow = Selectable<GroupsTable>;
export type ScanConflictRow = Selectable<ScanConflictsTable>;

/** Derived columns (name_initials) are filled by the store itself. */
export type NewResident = Omit<ResidentRow, 'id' | 'name_initials'>;

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

  /** The reply stored under an idempotency key, with the fingerprint of the request that made it (null: none was kept). */
  findReply(key: string): Promise<{ reply: string; requestHash: string | null } | null>;
  /** requestHash: the request's fingerprint, so a key replayed with another request can be refused. */
  saveReply(key: string, reply: string, at: string, requestHash: string | null): Promise<void>;


  /** The roster's residents, in this same transaction. */
  residents(): ResidentsTx;

  /** Reads a point and, on PostgreSQL, locks it: scans at one point are placed one at a time. */
  lockPoint(code: string): Promise<PointRow | null>;

  membership(roundId: number, residentId: number): Promise<Membership | null>;
  /** The pooled group filling at a point (one for green-channel people, one for the rest), with how many are in it. */
  formingGroup(roundId: number, pointId: number, priority: boolean): Promise<(GroupRow & { size: number }) | null>;
  /** Reads a group and, on PostgreSQL, locks it. */
  lockGroup(id: number): Promise<GroupRow | null>;
  /**
   * Locks the group's point, then the group (PostgreSQL): a write that changes which group fills
   * at a point (an undo, a close) runs one at a time with the scans there, which take the point first.
   */
  lockGroupAtPoint(id: number): Promise<GroupRow | null>;
  groupByTube(tubeCode: string): Promise<GroupRow | null>;
  nextGroupSeq(roundId: number, pointId: number): Promise<number>;
  insertGroup(row: Omit<GroupRow, 'id'>): Promise<number>;
  updateGroup(id: number, patch: Partial<Omit<GroupRow, 'id'>>): Promise<void>;
  activeMemberCount(groupId: number): Promise<number>;
  /** retest 1, 2 …: a retest sample of a person on the lab's retest list (lab). */
  insertMember(row: { group_id: number; round_id: number; resident_id: number; position: number; scanned_at: string; device: string; retest?: number }): Promise<number>;
  memberById(id: number): Promise<{ id: number; group_id: number; status: string } | null>;
  setMemberStatus(id: number, status: 'queued' | 'absent' | 'sampled'): Promise<void>;
  setGroupMembersSampled(groupId: number): Promise<void>;
  /** A cancelled group's people no longer hold a place this round (they may be scanned again). */
  releaseGroupMembers(groupId: number): Promise<void>;
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

  // ---- hall ----
  /** Desks of called groups and members at the door, in this same transaction. */
  hall(): HallTx;
  /** A member with the resident they stand for and the code of their group's point. */
  memberWithResident(memberId: number): Promise<{ id: number; group_id: number; status: string; point: string; resident: ResidentRow } | null>;
  // ---- lab ----
  /** Boxes, results and the retest list, in this same transaction. */
  lab(): LabTx;
  // ---- home visits ----
  /** The round's home-visit list, in this same transaction. */
  homeVisits(): HomeVisitsTx;
  // ---- home-sampling teams ----
  /** The teams and their link generations, in this same transaction. */
  teams(): TeamsTx;
  // ---- rounds and coverage ----
  /** Rounds, their points and schedule, and what coverage reads of a round, in this same transaction. */
  rounds(): RoundsTx;
  // ---- kiosk search and undo ----
  memberForRemoval(id: number): Promise<{ id: number; group_id: number; status: string; position: number; resident_uid: string } | null>;
  deleteMember(id: number): Promise<void>;
  /** Positions 1..n again after a removal: present members in their order first, absent ones after. */
  renumberMembers(groupId: number): Promise<void>;
  // ---- kiosk tubes and offline outbox ----
  /** The household tube filling at a point (household mode), locked on PostgreSQL. */
  openHouseholdTube(roundId: number, pointId: number): Promise<{ group: GroupRow; household: string } | null>;
  markHouseholdTube(groupId: number, household: string): Promise<void>;
  insertScanConflict(row: Omit<ScanConflictRow, 'id'>): Promise<void>;
  /** A round's conflicts with the resident's name and household, newest first. */
  scanConflicts(roundId: number): Promise<(ScanConflictRow & { name: string; household: string })[]>;
  // ---- access tokens ----
  /** Role epochs and logged-out sessions, in this same transaction. */
  tokens(): TokenTx;
  // (feature sections above this line)
}

export interface Store {
  readonly dialect: Dialect;
  /** A write transaction, tried again when it lost a race with another node. */
  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * A write that shares one transaction and one commit (one fsync) with the other grouped writes
   * queued at the same moment: group commit for the queue's many small writes. Each runs in a
   * savepoint of its own, so one that fails or races leaves the others alone; none is answered
   * before the commit.
   */
  writeGrouped<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** A read that sees one consistent state. */
  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function parseTags(json: string): Tag[] {
  return JSON.parse(json) as Tag[];
}
