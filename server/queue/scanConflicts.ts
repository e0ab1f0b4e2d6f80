import type { ScanConflict } from '../../shared/offlineScans';
import type { Store } from '../store/store';

/** Offline scans of people already placed this round, newest first, for staff to resolve. */
export async function listScanConflicts(store: Store): Promise<ScanConflict[]> {
  return store.read(async (tx) => {
    const round = await tx.rounds().current();
    if (!round) return [];
    return (await tx.queue().scanConflicts(round.id)).map((r) => ({
      id: r.id,
      name: r.name,
      household: r.household,
      recordedAt: r.recorded_at,
      scan: { point: r.point, device: r.device, at: r.scanned_at },
      previous: { point: r.previous_point, groupLabel: r.previous_group, at: r.previous_at },
    }));
  });
}
