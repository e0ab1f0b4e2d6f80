// Tubes must reach the lab within 2–4 hours of sealing: staff are warned before the hard limit.
import type { Refusal } from './reasons';

export interface TransitLimits {
  /** Minutes after sealing when a tube not yet handed over is shown as a warning. */
  warnMinutes: number;
  /** Minutes after sealing when it is overdue (the sample may be spoiled). */
  hardMinutes: number;
}

export const DEFAULT_TRANSIT_LIMITS: TransitLimits = { warnMinutes: 120, hardMinutes: 240 };
/** No setting may push the hard limit past what the sample survives. */
export const MAX_HARD_MINUTES = 240;

export function checkLimits(l: TransitLimits): Refusal | null {
  if (!Number.isInteger(l.warnMinutes) || !Number.isInteger(l.hardMinutes)) return { reason: 'limits.whole-minutes', params: {} };
  if (l.warnMinutes < 1) return { reason: 'limits.warn-too-low', params: {} };
  if (l.hardMinutes > MAX_HARD_MINUTES) return { reason: 'limits.hard-too-high', params: { max: MAX_HARD_MINUTES } };
  if (l.warnMinutes >= l.hardMinutes) return { reason: 'limits.warn-after-hard', params: {} };
  return null;
}

export interface TransitAlert {
  tubeCode: string;
  sealedAt: string;
  minutes: number;
  level: 'warn' | 'overdue';
}

/** Sealed tubes not yet handed over for longer than the warning limit, longest waiting first. */
export function transitAlerts(
  tubes: readonly { tubeCode: string; sealedAt: string; handedOverAt: string | null }[],
  now: Date,
  limits: TransitLimits = DEFAULT_TRANSIT_LIMITS,
): TransitAlert[] {
  const alerts: TransitAlert[] = [];
  for (const t of tubes) {
    if (t.handedOverAt) continue;
    const minutes = Math.floor((now.getTime() - Date.parse(t.sealedAt)) / 60_000);
    if (minutes < limits.warnMinutes) continue;
    alerts.push({ tubeCode: t.tubeCode, sealedAt: t.sealedAt, minutes, level: minutes >= limits.hardMinutes ? 'overdue' : 'warn' });
  }
  return alerts.sort((a, b) => b.minutes - a.minutes);
}
