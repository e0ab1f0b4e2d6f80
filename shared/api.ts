// The HTTP API: paths and bodies, shared by the server and the pages.
import { z } from 'zod';
import { ROLES, type Role } from './roles';

export const API = {
  health: '/api/health',
  login: '/api/login',
  /** POST the file itself as the body (CSV or XLSX), with ?filename=… ; staff only. */
  rosterImport: '/api/roster/import',
  /** GET ?building=3 ; staff only: every household's printable resident codes. */
  householdCodes: '/api/households/codes',
  /** GET ; staff only: buildings with household and resident counts. */
  buildings: '/api/buildings',
} as const;

/** Largest roster file accepted (a community of 10,000+ people in XLSX is far below this). */
export const MAX_ROSTER_BYTES = 20 * 1024 * 1024;

export const LoginRequest = z.strictObject({
  role: z.enum(ROLES),
  pin: z.string().regex(/^\d{4,8}$/, 'PIN is 4–8 digits'),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export interface LoginResponse {
  token: string;
  role: Role;
}

export interface ImportReport {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: { row: number; reason: string }[];
  warnings: { row: number; message: string }[];
}

export interface HouseholdCodes {
  household: string;
  members: { name: string; maskedIdNumber: string; code: string }[];
}

export interface BuildingSummary {
  building: string;
  households: number;
  residents: number;
}

/** Error body of every failed request. */
export interface ErrorBody {
  error: { code: string; message: string };
}
