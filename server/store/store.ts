import type { Selectable } from 'kysely';
import type { Dialect } from '../db/connect';
import type { ScanConflictsTable } from '../db/kioskTubeTables';
import type { GroupsTable, PointsTable, ResidentsTable, RoundsTable } from '../db/schema';
import type { Counts, GroupView } from '../../shared/protocol';
import type { Tag } from '../../shared/tags';
import type { SearchQuery } from '../../shared/residentSearch';
import type { ScheduleSlot } from '../../shared/schedule';
import type { VisitReason, VisitStatus } from '../../shared/homeVisits';
import type { IdType } from '../../shared/idTypes';
import type { LabTx } from './labStore';
import type { TokenTx } from './tokenStore';
import type { TeamsTx } from './teamStore';
import type { PooledScanArgs, PooledScanPlaced } from './pgScan';

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

/** A write's reply as kept under its idempotency key. */
export interface SavedReply {
  key: string;
  reply: string;
  at: string;
  /** The request's fingerprint (null: none kept). */
  requestHash: string | null;
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
  /**
   * PostgreSQL: a plain pooled scan placed in one round trip (server/store/pgScan.ts). Null, with
   * nothing written, for any other case and always on SQLite: the caller places it step by step.
   */
  pooledScan(args: PooledScanArgs): Promise<PooledScanPlaced | null>;

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
  /**
   * The end of a write clients hear of: the groups it changed as they are now, its reply saved (if it
   * has a key), the round's counts and the next change version; on PostgreSQL one statement for a
   * write that changed one group (a scan), with the version row locked only by that last statement.
   */
  finishChange(roundId: number, saved: SavedReply | null, groupIds: number[]): Promise<{ groups: GroupView[]; counts: Counts; version: number }>;
  version(): Promise<number>;
  groupViews(ids: number[]): Promise<GroupView[]>;
  /** Groups still in the queue and the most recently sampled ones. */
  liveGroupViews(roundId: number, recentSampled: number): Promise<GroupView[]>;
  counts(roundId: number): Promise<Counts>;
  audit(entry: AuditEntry, at: string): Promise<void>;

  buildings(): Promise<{ building: string; households: number; residents: number }[]>;
  residentsOfBuilding(building: string): Promise<ResidentRow[]>;
  /** Residents carrying a tag (pre-registrations: 'unverified'), oldest first. */
  residentsTagged(tag: string): Promise<ResidentRow[]>;
  // ---- hall ----
  /** The desk of each group indoors (called or sampling) at a point; null for one called without a desk. */
  indoorDesks(roundId: number, pointId: number): Promise<(number | null)[]>;
  setGroupDesk(groupId: number, desk: number | null): Promise<void>;
  setMemberPresent(memberId: number, present: boolean): Promise<void>;
  /** A member with the resident they stand for and the code of their group's point. */
  memberWithResident(memberId: number): Promise<{ id: number; group_id: number; status: string; point: string; resident: ResidentRow } | null>;
  // ---- lab ----
  /** Boxes, results and the retest list, in this same transaction. */
  lab(): LabTx;
  // ---- home-sampling teams ----
  /** The teams and their link generations, in this same transaction. */
  teams(): TeamsTx;
  // ---- rounds and coverage ----
  closeRound(id: number, at: string): Promise<void>;
  /** Every round, newest first, with how many people were sampled in it. */
  rounds(): Promise<(RoundRow & { sampled: number })[]>;
  /** The round's sampling points: added or renamed and resized; points left out take no more people. */
  setPointsOfRound(points: { code: string; name: string; poolSize: number }[], at: string): Promise<void>;
  /** The point by code, created when missing (the reserved home-sampling point). */
  ensurePoint(code: string, name: string, at: string): Promise<PointRow>;
  /** Every roster resident with their live place this round (null: not yet). */
  roundResidents(roundId: number, building?: string): Promise<RoundResident[]>;
  /** When each sampled member of the round was sampled (their tube's sealing time). */
  sampledTimes(roundId: number): Promise<string[]>;
  scheduleSlots(roundId: number): Promise<ScheduleSlot[]>;
  replaceSchedule(roundId: number, slots: ScheduleSlot[]): Promise<void>;
  /** Adds people to the visit list; those already on it keep their entry. */
  insertHomeVisits(rows: { round_id: number; resident_id: number; reason: VisitReason; updated_at: string }[]): Promise<void>;
  homeVisits(roundId: number, team?: string): Promise<HomeVisitRow[]>;
  homeVisitsOf(roundId: number, residentIds: number[]): Promise<HomeVisitRow[]>;
  /** The round's visits with these ids (those that exist). */
  homeVisitsByIds(roundId: number, ids: number[]): Promise<HomeVisitRow[]>;
  /**
   * The round's visit list follows the roster's tags, in a few set-based statements: tagged residents
   * not yet placed this round join it; a tag-derived visit not yet sampled takes its resident's
   * current reason, or leaves the list once their tags call for none. Run when a roster is imported,
   * a round opens, and at start-up; never on a read.
   */
  syncTaggedVisits(roundId: number, at: string): Promise<void>;
  updateHomeVisits(ids: number[], patch: { team?: string | null; status?: VisitStatus; reason?: VisitReason; group_id?: number | null; updated_at: string }): Promise<number>;
  deleteHomeVisits(ids: number[]): Promise<void>;
  residentsOfHouseholds(households: string[]): Promise<ResidentRow[]>;
  /** Sampled members of the round with their tube and point, for the specimen records. */
  samplingRecords(roundId: number): Promise<SamplingRecordRow[]>;
  // ---- kiosk search and undo ----
  /** Residents matching a kiosk search, by household then name. */
  searchResidents(query: SearchQuery, limit: number): Promise<ResidentRow[]>;
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

// ---- rounds and coverage ----
export interface RoundResident {
  id: number;
  name: string;
  building: string;
  unit: string;
  room: string;
  household: string;
  tags: string;
  phone_enc: string | null;
  /** The live member status this round: sampled, queued in a group, or null (not yet). */
  status: 'sampled' | 'queued' | null;
}

export interface HomeVisitRow {
  id: number;
  resident_id: number;
  name: string;
  building: string;
  unit: string;
  room: string;
  household: string;
  reason: VisitReason;
  team: string | null;
  status: VisitStatus;
  tube_code: string | null;
}

export interface SamplingRecordRow {
  name: string;
  id_type: IdType;
  id_enc: string;
  nationality: string;
  phone_enc: string | null;
  building: string;
  unit: string;
  room: string;
  tube_code: string | null;
  sampled_at: string | null;
  point_code: string;
  point_name: string;
  kind: string;
  /** People sampled into the same tube. */
  in_tube: number;
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
