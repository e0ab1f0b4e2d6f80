// HTTP paths and bodies of the lab feature: transport boxes, hand-over, results, retests, audit.
import { z } from 'zod';
import type { RetestReason, ResidentStatus, TubeResult } from './labResults';
import type { Refusal } from './reasons';
import type { TransitAlert, TransitLimits } from './transitTimer';
import type { Reconciliation, TubeState } from './tubeStates';
import { key, tubeCode } from './ids';

export { LAB_API } from './apiPaths';

/** A box route with the box code filled in. */
export function boxPath(route: string, box: string): string {
  return route.replace(':box', encodeURIComponent(box));
}

const boxCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{4,32}$/, 'box code must be 4–32 letters, digits or -');
export const BoxCode = boxCode;
export const OpenBoxRequest = z.strictObject({ code: boxCode });
export const AddTubeRequest = z.strictObject({ tubeCode });
export const HandOverRequest = z.strictObject({
  name: z.string().trim().min(1, 'the courier gives their name').max(40),
  phone: z.string().trim().min(1, 'the courier gives a phone number').max(20),
  key: key.optional(),
});
export const ReceiveRequest = z.strictObject({
  receiver: z.string().trim().min(1, 'the lab receiver gives their name').max(40),
  count: z.number().int().min(0).max(10_000),
  key: key.optional(),
});
export const TransitLimitsRequest = z.strictObject({
  warnMinutes: z.number().int().min(1).max(240),
  hardMinutes: z.number().int().min(2).max(240),
});
export const OwnResultRequest = z.strictObject({ code: z.string().trim().min(1).max(64) });

export type BoxState = 'open' | 'closed' | 'handed-over' | 'received';

export interface BoxView {
  code: string;
  state: BoxState;
  tubes: string[];
  openedAt: string;
  closedAt: string | null;
  /** Courier's name (phone kept encrypted). */
  courier: string | null;
  handedOverAt: string | null;
  receiver: string | null;
  receivedCount: number | null;
  receivedAt: string | null;
  /** The receiver counted a different number of tubes than the box holds. */
  mismatch: boolean;
}

export interface TubeView {
  tubeCode: string;
  groupLabel: string;
  kind: 'pooled' | 'single';
  people: number;
  state: TubeState;
  sealedAt: string;
  box: string | null;
  result: TubeResult | null;
}

export interface LabOverview {
  boxes: BoxView[];
  tubes: TubeView[];
  reconciliation: Reconciliation;
  alerts: TransitAlert[];
  limits: TransitLimits;
  /** People with a positive single tube or retest (阳性): for staff to report at once. */
  positives: number;
}

export interface ResultsReport {
  rows: number;
  applied: number;
  unchanged: number;
  /** Rows not applied, each with why (shared/reasons.ts). */
  rejected: ({ row: number } & Refusal)[];
  /** Residents added to the retest list by this file. */
  retests: number;
}

export interface RetestEntry {
  /** For staff to send the resident to home sampling. */
  residentId: number;
  name: string;
  building: string;
  unit: string;
  room: string;
  phone: string;
  reason: RetestReason;
  tubeCode: string;
  /** The retest sample was taken. */
  done: boolean;
}

export interface PositiveEntry {
  name: string;
  building: string;
  unit: string;
  room: string;
  phone: string;
  tubeCode: string;
}

export interface RetestList {
  retests: RetestEntry[];
  positives: PositiveEntry[];
}

export interface OwnResult {
  round: string;
  status: ResidentStatus;
  /** The sample that decides the status (proof of sampling on /me): when its tube was sealed, in which group. */
  sample?: { sampledAt: string; groupLabel: string };
}
