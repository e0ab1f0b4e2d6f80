import { PREVIEW_ROWS, type ImportReport, type RosterPreview } from '../../shared/api';
import { householdKey } from '../../shared/household';
import { personKey, maskId } from '../../shared/idTypes';
import type { RosterEntry } from '../../shared/roster';
import type { Actor } from '../../shared/roles';
import type { BulkSealer } from '../security/bulkSealer';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { NewResident, ResidentRow, Store, StoreTx } from '../store/store';
import { checkRoster, nextTurn, refuseUnreadable } from './checkRoster';
import { readSheets } from './readRosterFile';

/** Residents looked up, encrypted and written this many at a time: bounds what an import holds in memory. */
const BATCH = 4000;

/**
 * Reads and checks a roster file as an import would, writing nothing: what staff confirm before importing.
 * A file with no readable sheet is answered too, so the page can say why in its own language.
 */
export async function previewRoster(bytes: Buffer, filename?: string): Promise<RosterPreview> {
  return (await checkRoster(await readSheets(bytes, filename), PREVIEW_ROWS)).report;
}

/**
 * Imports a roster file: bad rows are reported with their row number and reason and the rest
 * imported; a resident already known (same ID type and number) is updated, never duplicated.
 */
export async function importRoster(store: Store, crypto: ResidentCrypto, actor: Actor, bytes: Buffer, filename?: string): Promise<ImportReport> {
  // Started first: the thread is up by the time the file is read and checked.
  const sealer = crypto.bulkSealer();
  try {
    const { report, entries } = await checkRoster(await readSheets(bytes, filename));
    refuseUnreadable(report);
    const hashed: Hashed[] = [];
    for (const entry of entries) {
      hashed.push({ entry, hash: crypto.hashId(personKey({ ...entry, household: householdKey(entry) })) });
      if (hashed.length % BATCH === 0) await nextTurn();
    }
    const at = new Date().toISOString();
    // Counted inside the transaction, so a write tried again after a lost race counts afresh.
    const counts = await store.write(async (tx) => {
      const counts: Counts = { added: 0, updated: 0, unchanged: 0 };
      // While one batch is written, the sealing thread encrypts the next one's new residents.
      let batch: LookedUp | null = await lookUp(tx, sealer, hashed.slice(0, BATCH));
      for (let start = BATCH; batch; start += BATCH) {
        const next = start < hashed.length ? await lookUp(tx, sealer, hashed.slice(start, start + BATCH)) : null;
        await writeBatch(tx, crypto, batch, at, counts);
        batch = next;
      }
      // The open round's visit list follows the new and changed tags, in a few set-based statements.
      const round = await tx.rounds().current();
      if (round) await tx.homeVisits().syncTagged(round.id, at);
      await tx.audit({ ...actor, action: 'roster:import', subject: filename ?? 'roster', detail: `${counts.added} added, ${counts.updated} updated, ${report.rejectedCount} rejected` }, at);
      return counts;
    });
    return Object.assign(report, counts);
  } finally {
    await sealer.close();
  }
}

type Counts = Pick<ImportReport, 'added' | 'updated' | 'unchanged'>;

interface Hashed {
  entry: RosterEntry;
  hash: string;
}

/** A batch with the residents already known by ID number, and the ID number and phone of each new one being sealed. */
interface LookedUp {
  batch: Hashed[];
  known: Map<string, ResidentRow>;
  sealed: Promise<(string | null)[]>;
}

async function lookUp(tx: StoreTx, sealer: BulkSealer, batch: Hashed[]): Promise<LookedUp> {
  const known = new Map<string, ResidentRow>();
  for (const r of await tx.residents().byIdHashes(batch.map((e) => e.hash))) known.set(r.id_hash, r);
  const fresh = batch.filter(({ hash }) => !known.has(hash));
  return { batch, known, sealed: sealer.seal(fresh.flatMap(({ entry }) => [entry.idNumber, entry.phone || null])) };
}

/** Adds the batch's new residents and updates the known ones that changed; only a batch or two of encrypted rows is held at a time. */
async function writeBatch(tx: StoreTx, crypto: ResidentCrypto, { batch, known, sealed }: LookedUp, at: string, counts: Counts): Promise<void> {
  // Two values a new resident, in the batch's order: the sealed ID number, then the sealed phone (or null).
  const secrets = await sealed;
  const fresh: NewResident[] = [];
  for (const { entry, hash } of batch) {
    const fields = {
      name: entry.name, building: entry.building, unit: entry.unit, room: entry.room,
      household: householdKey(entry), tags: JSON.stringify([...entry.tags].sort()), nationality: entry.nationality, id_note: entry.idNote,
    };
    const existing = known.get(hash);
    if (!existing) {
      const [idEnc, phoneEnc] = secrets.slice(2 * fresh.length, 2 * fresh.length + 2);
      fresh.push({
        uid: crypto.newUid(), id_type: entry.idType, id_hash: hash, id_masked: maskId(entry.idType, entry.idNumber), id_enc: idEnc as string,
        phone_enc: phoneEnc, ...fields, created_at: at, updated_at: at,
      });
      continue;
    }
    const oldPhone = existing.phone_enc ? crypto.decrypt(existing.phone_enc) : '';
    const same = oldPhone === entry.phone && (Object.keys(fields) as (keyof typeof fields)[]).every((k) => existing[k] === fields[k]);
    if (same) {
      counts.unchanged++;
      continue;
    }
    await tx.residents().update(existing.id, {
      ...fields, phone_enc: entry.phone ? crypto.encrypt(entry.phone) : null, updated_at: at,
    });
    counts.updated++;
  }
  await tx.residents().insertMany(fresh);
  counts.added += fresh.length;
}
