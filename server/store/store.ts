import type { Dialect } from '../db/connect';
import type { Tag } from '../../shared/tags';
import type { LabTx } from './labStore';
import type { ResidentsTx } from './residentStore';
import type { HallTx } from './hallStore';
import type { RoundsTx } from './roundStore';
import type { QueueTx } from './queueStore';
import type { HomeVisitsTx } from './homeVisitStore';
import type { TokenTx } from './tokenStore';
import type { TeamsTx } from './teamStore';
import type { Counts } from '../../shared/protocol';
import type { GroupRecord } from './queueStore';
import type { SavedReply } from './rows';
import type { GroupedOptions, TxOptions } from './transactionRunner';

export type { GroupRow, Membership, NewResident, PointRow, ResidentRow, RoundRow, SavedReply, ScanConflictRow } from './rows';

export interface StoredReply {
  reply: string;
  requestHash: string | null;
}

export interface AuditEntry {
  role: string;
  device: string;
  action: string;
  subject: string;
  detail: string;
}

/**
 * Everything the services read and write, inside one transaction. The same code runs on
 * SQLite (embedded) and PostgreSQL (scale-out); what differs (row locks) is hidden here.
 * Here is what every write shares; each feature's storage is its own, reached from here so
 * that it joins the same transaction.
 */
export interface StoreTx {
  setting(key: string): Promise<string | null>;
  /** Writes a setting; with overwrite false an existing value is kept. Returns whether it wrote. */
  putSetting(key: string, value: string, overwrite: boolean): Promise<boolean>;

  /** The reply stored under an idempotency key, with the fingerprint of the request that made it (null: none was kept). */
  findReply(key: string): Promise<StoredReply | null>;
  /** The replies stored under any of these keys, in one look-up (a group of writes). */
  findReplies(keys: string[]): Promise<Map<string, StoredReply>>;
  /** Replies under their keys; each with the fingerprint of its request, so a key replayed with another request can be refused. */
  saveReplies(saved: SavedReply[]): Promise<void>;

  /** Takes the next change version; on PostgreSQL this row lock also orders commits. */
  bumpVersion(): Promise<number>;
  /**
   * The end of writes clients hear of: their replies saved (those with a key), the next change version, then
   * the groups they changed as they are now and the round's counts. The version comes first: on PostgreSQL
   * its row lock orders commits, so what is read after it includes every earlier version; it is held
   * only by the write's last statements.
   */
  finishChange(
    roundId: number,
    saved: SavedReply[],
    groupIds: number[],
  ): Promise<{ groups: GroupRecord[]; counts: Counts; version: number }>;
  version(): Promise<number>;
  audit(entry: AuditEntry, at: string): Promise<void>;

  /** Points locked for a scan, groups and members, household tubes, offline-scan conflicts, counts. */
  queue(): QueueTx;
  /** The roster's residents: look-ups, bulk import, the kiosk search. */
  residents(): ResidentsTx;
  /** Desks of called groups and members ticked off at the door. */
  hall(): HallTx;
  /** Rounds, their points and schedule, and what coverage and the specimen records read of a round. */
  rounds(): RoundsTx;
  /** The round's home-visit list. */
  homeVisits(): HomeVisitsTx;
  /** Boxes, results and the retest list. */
  lab(): LabTx;
  /** The home-sampling teams and their link generations. */
  teams(): TeamsTx;
  /** Role epochs and logged-out sessions. */
  tokens(): TokenTx;
}

export interface Store {
  readonly dialect: Dialect;
  /** A write transaction, tried again when it lost a race with another node. */
  write<T>(fn: (tx: StoreTx) => Promise<T>, opts?: TxOptions): Promise<T>;
  /**
   * A write that shares one transaction and one commit (one fsync) with the other grouped writes
   * queued at the same moment: group commit for the queue's many small writes. Each runs in a
   * savepoint of its own, so one that fails or races leaves the others alone; none is answered
   * before the commit. A group end (`opts.end`) runs once for the writes that name it, before the
   * commit; lanes (`opts.lane`, a point) let one point's writes commit beside another's.
   */
  writeGrouped<T>(fn: (tx: StoreTx) => Promise<T>, opts?: GroupedOptions<StoreTx>): Promise<T>;
  /** A read that sees one consistent state. */
  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function parseTags(json: string): Tag[] {
  return JSON.parse(json) as Tag[];
}
