import { IMPORT_LISTED, PREVIEW_ROWS, type ImportReport, type RosterPreview } from '../../shared/api';
import { householdKey } from '../../shared/household';
import { personKey, maskId } from '../../shared/idTypes';
import type { RosterEntry } from '../../shared/roster';
import type { Actor } from '../../shared/roles';
import type { BulkSealer, SealedBatch } from '../security/bulkSealer';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { NewResident, StoreTx } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';
import { RosterChecker, nextTurn, refuseUnreadable } from './checkRoster';
import { EntrySpill } from './entrySpill';
import type { RosterSource } from './readRosterFile';

/**
 * Reads and checks a roster file as an import would, writing nothing: what staff confirm before importing.
 * A file with no readable sheet is answered too, so the page can say why in its own language.
 */
export async function previewRoster(source: RosterSource): Promise<RosterPreview> {
  return new RosterChecker(source, PREVIEW_ROWS).check();
}

export interface RosterUpload {
  source: RosterSource;
  /** A private folder the accepted entries are spilt to between the check and the writes. */
  scratchDir: string;
  /** The file's SHA-256: with the name, the request an import key is fingerprinted by. */
  digest: string;
  filename?: string;
  /** The page's idempotency key for this file: an upload sent again gets the first import's report. */
  key: string | null;
}

/**
 * Imports a roster file: bad rows are reported with their row number and reason and the rest
 * imported; a resident already known (same ID type and number) is updated, never duplicated.
 *
 * A file refused for what it holds (too many rows, a damaged line far down, no readable sheet) writes
 * nothing to the roster. A district's first import (the roster empty or small, on SQLite) writes its
 * people to a staging table as the check accepts them and swaps it in at the end, people already on the
 * roster merged then (residentStaging.ts). Any other is checked whole first, then read again and written a
 * batch at a time, each batch its own short transaction, so scans go on during a district's import;
 * should the database fail part-way, the batches written stay: importing the same file again completes
 * it (the people already in count as unchanged).
 */
export async function importRoster(
  pipeline: WritePipeline,
  crypto: ResidentCrypto,
  actor: Actor,
  upload: RosterUpload,
): Promise<ImportReport> {
  const request = { file: upload.digest, filename: upload.filename ?? null };
  return pipeline.runInSteps('roster:import', upload.key, request, async (step) => {
    // Started first: the threads are up by the time the file is checked.
    const sealer = crypto.bulkSealer();
    const at = pipeline.now().toISOString();
    const staging = await step((tx) => tx.residents().beginStaging(upload.source.maxRows));
    const spill = staging ? null : new EntrySpill(upload.scratchDir);
    let staged = 0;
    let swapped = false;
    const counts: Counts = { added: 0, updated: 0, unchanged: 0 };
    // Counted per transaction, so a batch tried again after a lost race counts afresh.
    const add = (done: Counts) => {
      for (const k of ['added', 'updated', 'unchanged'] as const) counts[k] += done[k];
    };
    const batches = new SealedBatches(staging ? STAGED_BATCH : WRITE_BATCH, sealer, async ({ entries, sealing }) => {
      // Sealed and made into rows before the transaction: a scan waits for the batch's writes only, not
      // for the sealer's thread (nor for this thread's work on the rows).
      const rows = residentRows(entries, await sealing, at);
      await letOthersWrite();
      if (staging) {
        await step((tx) => {
          // Drawn in the step, as writeBatch does: a step tried again draws afresh. In place: a copy of
          // every row (a million, a district) only to set one field was work for the collector.
          for (const row of rows) row.uid = crypto.newUid();
          return tx.residents().insertStaged(rows);
        });
        staged += rows.length;
      } else add(await step((tx) => writeBatch(tx, crypto, rows, (i) => entries[i].phone)));
    });
    try {
      const report = await new RosterChecker(upload.source, IMPORT_LISTED).check((entries) =>
        spill ? spill.write(entries) : batches.add(entries),
      );
      refuseUnreadable(report);
      if (spill) for await (const entries of spill.batches()) await batches.add(entries);
      await batches.end();
      if (staging) {
        for (const index of await step((tx) => tx.residents().rosterIndexes())) {
          await letOthersWrite();
          await step((tx) => tx.residents().moveIndexToStaged(index));
        }
        await letOthersWrite();
        add(await step((tx) => swapIn(tx, crypto, staged), { keysAtCommit: true }));
        swapped = true;
      }
      return async (tx: StoreTx) => {
        const at = pipeline.now().toISOString();
        // The open round's visit list follows the new and changed tags, in a few set-based statements.
        const round = await tx.rounds().current();
        if (round) await tx.homeVisits().syncTagged(round.id, at);
        const subject = upload.filename ?? 'roster';
        await tx.audit(
          {
            ...actor,
            action: 'roster:import',
            subject,
            detail: `${counts.added} added, ${counts.updated} updated, ${report.rejectedCount} rejected`,
          },
          at,
        );
        return { reply: { ...report, ...counts } };
      };
    } finally {
      // Not swapped in (the import failed): the staging table goes, the roster's indexes back, here or at the next start.
      const abandoned = staging && !swapped ? step((tx) => tx.residents().abandonStaging()).catch(() => undefined) : undefined;
      await Promise.all([sealer.close(), spill?.remove(), abandoned]);
    }
  });
}

type Counts = Pick<ImportReport, 'added' | 'updated' | 'unchanged'>;

/**
 * People written a transaction: a scan waits for at most one batch's writes (and gets its turn
 * between two, letOthersWrite). A step's commit writes every index page it changed, thousands
 * scattered over a million people's ID hashes and uids, so fewer, larger steps write each page
 * fewer times: a million people took 48 s in steps of 4,000, 45 s of 8,000 and 37 s of 16,000
 * (2026-12-01, load ~2-3), a kiosk's scans answered within 0.44, 0.9 and 0.74 s. (Until then the
 * steps were cut only at the spill's chunks, some 19,000 people, and scans waited several steps.)
 */
const WRITE_BATCH = 16_000;

/**
 * People staged a transaction (a first import): the staging table has no index to write again, and its
 * steps run while the check holds its index of everyone, so smaller steps, holding less at once, keep the
 * import under 400 MiB: a million people took 28.3 s peaking at 396 MiB in steps of 4,000 against 27.3 s
 * and 417 MiB of 16,000 (2026-12-01), and scans waited less (ack p99 154 against 306 ms).
 */
const STAGED_BATCH = 4_000;

/**
 * Lets a write that arrived during the last step (a kiosk's scan) reach the database before the next step.
 * A step runs to its commit without giving the event loop a turn (the driver is synchronous), and the
 * next one would start at once, so scans waited several steps (up to 3.5 s). Three turns: one for the
 * event loop to read the scan, one for the grouped write it queues (which starts on the next turn), then the step.
 */
async function letOthersWrite(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await nextTurn();
}

/** A batch of entries, with their ID hashes and sealed ID numbers and phones being made on the sealer's threads. */
interface Prepared {
  entries: RosterEntry[];
  sealing: Promise<SealedBatch>;
}

/** Entries cut into batches of `size`, each sealed on the sealer's thread while the one before is written. */
class SealedBatches {
  private batch: RosterEntry[] = [];
  private pending: Prepared | null = null;

  constructor(
    private readonly size: number,
    private readonly sealer: BulkSealer,
    private readonly write: (prepared: Prepared) => Promise<void>,
  ) {}

  async add(entries: readonly RosterEntry[]): Promise<void> {
    for (const e of entries) {
      this.batch.push(e);
      if (this.batch.length >= this.size) await this.cut();
    }
  }

  /** Writes what is left. */
  async end(): Promise<void> {
    if (this.batch.length) await this.cut();
    if (this.pending) await this.write(this.pending);
    this.pending = null;
  }

  private async cut(): Promise<void> {
    const entries = this.batch;
    this.batch = [];
    // Every entry is sealed ahead: the known residents' values are used only where their phone changed.
    const next: Prepared = {
      entries,
      sealing: this.sealer.run({
        hash: entries.map((e) => personKey({ ...e, household: householdKey(e) })),
        seal: entries.flatMap((e) => [e.idNumber, e.phone || null]),
      }),
    };
    if (this.pending) await this.write(this.pending);
    this.pending = next;
  }
}

/**
 * The staged people as the roster (residentStaging.ts): those who were on it already are merged into
 * their rows as any import's, the rest added. Run with foreign keys checked at commit.
 */
async function swapIn(tx: StoreTx, crypto: ResidentCrypto, staged: number): Promise<Counts> {
  const known = await tx.residents().knownStaged();
  const rows = known.map(({ id: _id, name_initials: _initials, ...row }) => row);
  const phoneOf = (i: number) => (rows[i].phone_enc ? crypto.decrypt(rows[i].phone_enc) : '');
  const merged = await writeBatch(tx, crypto, rows, phoneOf);
  await tx.residents().swapInStaged(known.map((r) => r.id));
  return { ...merged, added: staged - known.length };
}

/** What a resident's row holds that a roster changes; a known resident is updated when one of these (or the phone) differs. */
const CHANGEABLE = ['name', 'building', 'unit', 'room', 'household', 'tags', 'nationality', 'id_note'] as const;

/** The batch's entries as new residents' rows, in its order; each `uid` is drawn in the step that inserts it. */
function residentRows(entries: RosterEntry[], { hashes, sealed }: SealedBatch, at: string): NewResident[] {
  // Two sealed values an entry, in the batch's order: the ID number, then the phone (or null).
  return entries.map((entry, i) => ({
    uid: '',
    id_type: entry.idType,
    id_hash: hashes[i],
    id_masked: maskId(entry.idType, entry.idNumber),
    id_enc: sealed[2 * i] as string,
    phone_enc: sealed[2 * i + 1],
    name: entry.name,
    building: entry.building,
    unit: entry.unit,
    room: entry.room,
    household: householdKey(entry),
    tags: JSON.stringify([...entry.tags].sort()),
    nationality: entry.nationality,
    id_note: entry.idNote,
    created_at: at,
    updated_at: at,
  }));
}

/** Adds the batch's new residents and updates the known ones that changed; `phoneOf(i)` is row i's phone. */
async function writeBatch(tx: StoreTx, crypto: ResidentCrypto, rows: NewResident[], phoneOf: (i: number) => string): Promise<Counts> {
  const counts: Counts = { added: 0, updated: 0, unchanged: 0 };
  const known = new Map((await tx.residents().byIdHashes(rows.map((r) => r.id_hash))).map((r) => [r.id_hash, r]));
  const fresh: NewResident[] = [];
  for (const [i, row] of rows.entries()) {
    const existing = known.get(row.id_hash);
    if (!existing) {
      // Drawn here, not with the row: a step tried again after a lost race (a uid taken meanwhile) draws afresh.
      row.uid = crypto.newUid();
      fresh.push(row);
      continue;
    }
    const oldPhone = existing.phone_enc ? crypto.decrypt(existing.phone_enc) : '';
    if (oldPhone === phoneOf(i) && CHANGEABLE.every((k) => existing[k] === row[k])) {
      counts.unchanged++;
      continue;
    }
    const changed = Object.fromEntries(CHANGEABLE.map((k) => [k, row[k]]));
    await tx.residents().update(existing.id, { ...changed, phone_enc: row.phone_enc, updated_at: row.updated_at });
    counts.updated++;
  }
  await tx.residents().insertMany(fresh);
  counts.added = fresh.length;
  return counts;
}
