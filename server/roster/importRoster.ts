import { IMPORT_LISTED, PREVIEW_ROWS, type ImportReport, type RosterPreview } from '../../shared/api';
import { householdKey } from '../../shared/household';
import { personKey, maskId } from '../../shared/idTypes';
import type { RosterEntry } from '../../shared/roster';
import type { Actor } from '../../shared/roles';
import type { BulkSealer, SealedBatch } from '../security/bulkSealer';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { NewResident, StoreTx } from '../store/store';
import type { StepWriter, WritePipeline } from '../write/writePipeline';
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
 * The whole file is checked before anything is written, so a file refused for what it holds (too
 * many rows, a damaged line far down, no readable sheet) writes nothing. Then it is read again and
 * written a batch at a time, each batch its own short transaction, so scans go on during a
 * district's import. Should the database fail part-way, the batches written stay: importing the
 * same file again completes it (the people already in count as unchanged).
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
    const spill = new EntrySpill(upload.scratchDir);
    try {
      const report = await new RosterChecker(upload.source, IMPORT_LISTED).check((entries) => spill.write(entries));
      refuseUnreadable(report);
      const counts = await writeAll(step, crypto, sealer, spill.batches(), pipeline.now().toISOString());
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
      await Promise.all([sealer.close(), spill.remove()]);
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

/** The entries in batches of WRITE_BATCH (the last one smaller). */
async function* regrouped(batches: AsyncIterable<RosterEntry[]>): AsyncGenerator<RosterEntry[]> {
  let batch: RosterEntry[] = [];
  for await (const entries of batches) {
    // Cut within a chunk of the spill, which holds some 19,000 people.
    for (const e of entries) {
      batch.push(e);
      if (batch.length >= WRITE_BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

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

/** Writes the accepted entries batch by batch; while one batch is written, the sealer encrypts the next. */
async function writeAll(
  step: StepWriter,
  crypto: ResidentCrypto,
  sealer: BulkSealer,
  batches: AsyncIterable<RosterEntry[]>,
  at: string,
): Promise<Counts> {
  const counts: Counts = { added: 0, updated: 0, unchanged: 0 };
  let pending: Prepared | null = null;
  const flush = async ({ entries, sealing }: Prepared) => {
    // Sealed and made into rows before the transaction: a scan waits for the batch's writes only, not
    // for the sealer's thread (nor for this thread's work on the rows).
    const rows = residentRows(entries, await sealing, at);
    await letOthersWrite();
    // Counted per transaction, so a batch tried again after a lost race counts afresh.
    const done = await step((tx) => writeBatch(tx, crypto, entries, rows));
    for (const k of ['added', 'updated', 'unchanged'] as const) counts[k] += done[k];
  };
  for await (const entries of regrouped(batches)) {
    // Every entry is sealed ahead: the known residents' values are used only where their phone changed.
    const next: Prepared = {
      entries,
      sealing: sealer.run({
        hash: entries.map((e) => personKey({ ...e, household: householdKey(e) })),
        seal: entries.flatMap((e) => [e.idNumber, e.phone || null]),
      }),
    };
    if (pending) await flush(pending);
    pending = next;
  }
  if (pending) await flush(pending);
  return counts;
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

/** Adds the batch's new residents and updates the known ones that changed. */
async function writeBatch(tx: StoreTx, crypto: ResidentCrypto, entries: RosterEntry[], rows: NewResident[]): Promise<Counts> {
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
    if (oldPhone === entries[i].phone && CHANGEABLE.every((k) => existing[k] === row[k])) {
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
