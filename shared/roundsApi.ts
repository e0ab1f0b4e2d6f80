// HTTP paths and bodies of rounds, coverage, the staggered schedule, home visits and exports.
import { z } from 'zod';
import type { Coverage, CoverageStatus, TimelinePoint } from './coverage';
import { HOME_TUBE_KINDS, type VisitReason, type VisitStatus } from './homeVisits';
import { key, pointCode, tubeCode } from './ids';
import { POOL_SIZES } from './pooling';

export const ROUNDS_API = {
  /** GET: every round, newest first; POST OpenRoundRequest: opens a round and closes the current one (staff). */
  rounds: '/api/rounds',
  /** GET: the current round's coverage and timeline (staff). */
  coverage: '/api/coverage',
  /** GET ?building=3: households with names, rooms and status (staff). */
  coverageBuilding: '/api/coverage/building',
  /** GET: the round's slots; POST ScheduleRequest: replaces them (staff). */
  schedule: '/api/schedule',
  /** GET ?team=…: the round's visit list, built from tags and staff additions (staff; volunteer with a team). */
  homeVisits: '/api/home-visits',
  /** POST AddVisitsRequest (staff). */
  homeVisitsAdd: '/api/home-visits/add',
  /** POST AssignVisitsRequest (staff). */
  homeVisitsAssign: '/api/home-visits/assign',
  /** POST LookupRequest: who a code scanned at the door belongs to (volunteer, staff). */
  homeVisitsLookup: '/api/home-visits/lookup',
  /** POST HomeSampleRequest: people sampled at home into one tube (volunteer, staff). */
  homeVisitsSample: '/api/home-visits/sample',
  /** POST NotHomeRequest (volunteer, staff). */
  homeVisitsNotHome: '/api/home-visits/not-home',
  /** POST VisitIdsRequest: takes staff-added visits off the list (staff). */
  homeVisitsRemove: '/api/home-visits/remove',
  /** POST VisitIdsRequest: "not home" visits go back to pending for a team to try again (staff). */
  homeVisitsRequeue: '/api/home-visits/requeue',
  /** POST RetestVisitsRequest: residents on the lab's retest list are sampled at home instead (staff). */
  homeVisitsRetest: '/api/home-visits/retest',
  /** GET: the round's sampling records (staff). */
  exportRecordsXlsx: '/api/exports/records.xlsx',
  exportRecordsCsv: '/api/exports/records.csv',
  /** GET ?building=3 (optional): residents not sampled yet (staff). */
  exportNotSampledXlsx: '/api/exports/not-sampled.xlsx',
  exportNotSampledCsv: '/api/exports/not-sampled.csv',
} as const;

const poolSize = z
  .number()
  .int()
  .refine((n) => (POOL_SIZES as readonly number[]).includes(n), 'pool size is 1, 5, 10 or 20');
const building = z.string().trim().min(1).max(20);
const team = z.string().trim().min(1).max(30);
const ids = z.array(z.number().int().positive()).min(1).max(500);

export const OpenRoundRequest = z.strictObject({
  key,
  name: z.string().trim().min(1).max(40),
  date: z.iso.date(),
  /** Sampling points of this round; a point named before keeps its code and takes the new name and pool size. */
  points: z
    .array(z.strictObject({ code: pointCode, name: z.string().trim().min(1).max(40), poolSize }))
    .min(1)
    .max(26),
  /** 采样单位 on the specimen records (the clinic or community doing the sampling); kept for later rounds when absent. */
  samplingUnit: z.string().trim().min(1).max(60).optional(),
});
export type OpenRoundRequest = z.infer<typeof OpenRoundRequest>;

export interface RoundSummary {
  id: number;
  name: string;
  date: string;
  openedAt: string;
  closedAt: string | null;
  sampled: number;
}

export const ScheduleRequest = z.strictObject({
  slots: z
    .array(
      z
        .strictObject({ building, point: pointCode, start: z.iso.datetime(), end: z.iso.datetime() })
        .refine((s) => Date.parse(s.start) < Date.parse(s.end), 'a slot ends after it starts'),
    )
    .max(500),
});
export type ScheduleRequest = z.infer<typeof ScheduleRequest>;

export interface CoverageReport {
  round: { id: number; name: string; date: string };
  coverage: Coverage;
  timeline: TimelinePoint[];
}

export interface HouseholdCoverage {
  household: string;
  unit: string;
  room: string;
  members: { name: string; status: CoverageStatus; homeVisit: VisitStatus | null }[];
}

export interface HomeVisit {
  id: number;
  name: string;
  building: string;
  unit: string;
  room: string;
  floor: string;
  household: string;
  reason: VisitReason;
  team: string | null;
  status: VisitStatus;
  tubeCode: string | null;
}

export const AddVisitsRequest = z
  .strictObject({
    /** Households (3-2-501) whose every member is visited. */
    households: z.array(z.string().trim().min(1).max(40)).max(200).default([]),
    /** Single residents, by their code or ID number (as the resident search gives them). */
    residents: z.array(z.string().min(1).max(256)).max(200).default([]),
  })
  .refine((r) => r.households.length + r.residents.length > 0, 'name a household or a resident to visit');
export type AddVisitsRequest = z.infer<typeof AddVisitsRequest>;

export const AssignVisitsRequest = z.strictObject({ visitIds: ids, team: team.nullable() });
export type AssignVisitsRequest = z.infer<typeof AssignVisitsRequest>;

export const LookupRequest = z.strictObject({ input: z.string().min(1).max(256) });
export type LookupRequest = z.infer<typeof LookupRequest>;

export const HomeSampleRequest = z.strictObject({
  key,
  kind: z.enum(HOME_TUBE_KINDS),
  tubeCode,
  /** The codes (or typed ID numbers) scanned at the door, one per person in the tube. */
  inputs: z.array(z.string().min(1).max(256)).min(1).max(20),
});
export type HomeSampleRequest = z.infer<typeof HomeSampleRequest>;

export const NotHomeRequest = z.strictObject({ visitIds: ids });
export type NotHomeRequest = z.infer<typeof NotHomeRequest>;

export const VisitIdsRequest = z.strictObject({ visitIds: ids });
export type VisitIdsRequest = z.infer<typeof VisitIdsRequest>;

export const RetestVisitsRequest = z.strictObject({ residentIds: ids });
export type RetestVisitsRequest = z.infer<typeof RetestVisitsRequest>;

export interface HomeSampleResult {
  tubeCode: string;
  label: string;
  visitIds: number[];
}
