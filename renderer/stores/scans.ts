// The kiosk's own scans: the latest one shown big, the last few listed.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ScanOutcome, WalkInRequest } from '../../shared/protocol';
import { newKey } from '../lib/keys';
import { useQueueStore } from './queue';

export type ScanResult =
  | { status: 'pending' }
  | { status: 'done'; outcome: ScanOutcome }
  | { status: 'failed'; error: unknown };

export interface ScanEntry {
  seq: number;
  at: Date;
  /** What was scanned or typed; kept in memory only, to prefill the walk-in form. */
  input: string;
  source: 'scan' | 'walk-in';
  result: ScanResult;
}

const KEEP = 10;

export const useScansStore = defineStore('scans', () => {
  const queue = useQueueStore();
  const entries = ref<ScanEntry[]>([]);
  let seq = 0;

  /** The latest action: scanners fire fast, so an older reply never takes the big box back. */
  const latest = computed(() => entries.value[0] ?? null);

  async function track(input: string, source: ScanEntry['source'], send: () => Promise<ScanOutcome>): Promise<ScanEntry> {
    entries.value.unshift({ seq: ++seq, at: new Date(), input, source, result: { status: 'pending' } });
    entries.value.splice(KEEP);
    // Read back through the reactive array so the update below is seen by the page.
    const entry = entries.value[0];
    try {
      entry.result = { status: 'done', outcome: await send() };
    } catch (error) {
      entry.result = { status: 'failed', error };
    }
    return entry;
  }

  function scan(point: string, input: string): Promise<ScanEntry> {
    return track(input, 'scan', () => queue.send('scan', { key: newKey(), point, input }));
  }

  function walkIn(req: Omit<WalkInRequest, 'key'>): Promise<ScanEntry> {
    return track(req.idNumber, 'walk-in', () => queue.send('walk-in', { key: newKey(), ...req }));
  }

  return { entries, latest, scan, walkIn };
});
