// What a scan result means at arm's length: green go, amber look again, red stop.
import type { ScanResult } from '../stores/scans';

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

export function toneOf(result: ScanResult): Tone {
  if (result.status === 'pending') return 'neutral';
  if (result.status === 'failed') return 'bad';
  switch (result.outcome.kind) {
    case 'added':
      // Pre-registered, not on the roster: look at the ID card before sampling.
      return result.outcome.resident.unverified ? 'warn' : 'ok';
    case 'routed':
    case 'not-on-roster':
      return 'warn';
    case 'duplicate':
    case 'rejected':
      return 'bad';
  }
  // A newer server may send a kind this page does not know yet.
  return 'bad';
}
