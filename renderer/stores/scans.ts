// The kiosk's own scans: the latest one shown big, the last few listed.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { NumberedIdType } from '../../shared/idTypes';
import type { ScanOutcome, WalkInRequest } from '../../shared/protocol';
import { newKey } from '../lib/keys';
import { DEFAULT_TUBE_MODE, useTubeMode } from '../lib/useTubeMode';
import { useOutboxStore } from './outbox';
import { useQueueStore } from './queue';

export type ScanResult = { status: 'pending' } | { status: 'done'; outcome: ScanOutcome } | { status: 'failed'; error: unknown };

export interface ScanEntry {
  seq: number;
  at: Date;
  /** What was scanned or typed; kept in memory only, to prefill the walk-in form. */
  input: string;
  /** The ID type the number was typed for, when not a resident ID. */
  idType?: NumberedIdType;
  source: 'scan' | 'walk-in';
  /** How the input arrived: a scanner burst, typed by hand, the camera, or picked from a search. */
  via: ScanVia;
  result: ScanResult;
  /** Taken out of the group again (kiosk undo). */
  undone?: boolean;
  /** Waiting in the offline outbox for the server (kiosk offline outbox). */
  queued?: boolean;
}

export type ScanVia = 'scanner' | 'typed' | 'camera' | 'search';

const KEEP = 10;

export const useScansStore = defineStore('scans', () => {
  const queue = useQueueStore();
  const outbox = useOutboxStore();
  const tubeMode = useTubeMode();
  const entries = ref<ScanEntry[]>([]);
  let seq = 0;

  /** The latest action: scanners fire fast, so an older reply never takes the big box back. */
  const latest = computed(() => entries.value[0] ?? null);

  async function track(
    input: string,
    source: ScanEntry['source'],
    via: ScanVia,
    send: (entry: ScanEntry) => Promise<ScanOutcome>,
    idType?: NumberedIdType,
  ): Promise<ScanEntry> {
    entries.value.unshift({ seq: ++seq, at: new Date(), input, ...(idType ? { idType } : {}), source, via, result: { status: 'pending' } });
    entries.value.splice(KEEP);
    // Read back through the reactive array so the update below is seen by the page.
    const entry = entries.value[0];
    try {
      entry.result = { status: 'done', outcome: await send(entry) };
    } catch (error) {
      entry.result = { status: 'failed', error };
    }
    return entry;
  }

  /** The household tube the last household-mode scan went to, while household mode is on. */
  const householdTube = ref<number | null>(null);
  /** Household-mode scans not yet answered: the next household's scan closes the previous tube. */
  let householdScans = 0;

  /** A household tube filled by this scan is done; one still open is followed until it closes. */
  function afterHouseholdScan(outcome: ScanOutcome): void {
    if (outcome.kind !== 'added' || tubeMode.value !== 'household') return;
    if (outcome.full) tubeMode.value = DEFAULT_TUBE_MODE;
    else householdTube.value = outcome.group.id;
  }

  // A household tube is done once it stops taking people (full, or closed at the kiosk), unless
  // a household scan under way is what closed it (it opens the next household's tube).
  watch(
    () => (householdTube.value === null ? undefined : queue.groupById(householdTube.value)?.state),
    (state) => {
      if (!state || state === 'forming' || householdScans > 0) return;
      householdTube.value = null;
      if (tubeMode.value === 'household') tubeMode.value = DEFAULT_TUBE_MODE;
    },
  );
  watch(tubeMode, (m) => {
    if (m !== 'household') householdTube.value = null;
  });

  /** `idType`: the type a number was typed for; absent for a resident ID (and codes, whatever the type). */
  async function scan(point: string, input: string, via: ScanVia = 'scanner', idType?: NumberedIdType): Promise<ScanEntry> {
    // Written to the outbox first, with the time it was taken and the kiosk's tube mode.
    const mode = tubeMode.value;
    const req = { key: newKey(), point, input, ...(idType ? { idType } : {}), scannedAt: new Date().toISOString(), mode };
    // A single tube is one person's: the next person is pooled again, even before this answer.
    if (mode === 'single') tubeMode.value = DEFAULT_TUBE_MODE;
    if (mode !== 'household')
      return track(input, 'scan', via, (e) => outbox.submit({ event: 'scan', req }, () => (e.queued = true)), idType);
    householdScans++;
    try {
      const entry = await track(input, 'scan', via, (e) => outbox.submit({ event: 'scan', req }, () => (e.queued = true)), idType);
      if (entry.result.status === 'done') afterHouseholdScan(entry.result.outcome);
      return entry;
    } finally {
      householdScans--;
    }
  }

  function walkIn(req: Omit<WalkInRequest, 'key'>): Promise<ScanEntry> {
    const item = { event: 'walk-in' as const, req: { key: newKey(), ...req } };
    return track(req.idNumber, 'walk-in', 'typed', (entry) => outbox.submit(item, () => (entry.queued = true)));
  }

  // Scans left in the outbox from before this page opened are listed again and answered as they replay.
  void outbox.unclaimed().then((items) => {
    for (const item of items) {
      const [input, source] = item.event === 'scan' ? [item.req.input, 'scan' as const] : [item.req.idNumber, 'walk-in' as const];
      const idType = item.event === 'scan' ? item.req.idType : undefined;
      void track(
        input,
        source,
        source === 'scan' ? 'scanner' : 'typed',
        (entry) => outbox.claim(item.req.key, () => (entry.queued = true)),
        idType,
      );
    }
  });

  /** Takes a wrongly added person out of their group again, while it is not yet called. */
  async function undo(entry: ScanEntry): Promise<void> {
    if (entry.result.status !== 'done') return;
    const outcome = entry.result.outcome;
    if (outcome.kind === 'added') {
      await queue.send('member:remove', { key: newKey(), memberId: outcome.memberId });
    } else if (outcome.kind === 'routed' && outcome.route === 'single-tube') {
      // A single tube holds only this person: undoing the scan withdraws the tube group itself.
      await queue.send('group:action', { key: newKey(), groupId: outcome.group.id, action: 'cancel' });
    } else {
      return;
    }
    entry.undone = true;
  }

  return { entries, latest, scan, walkIn, undo };
});
