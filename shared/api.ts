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
  /** POST with the token: ends its session on every node (HTTP and sockets). */
  logout: '/api/logout',
  /** POST with the token: the token to use from now on (a fresh one once a quarter of its life has passed). */
  renew: '/api/renew',
  /** POST PinChangeRequest ; staff only: a role's new PIN; that role's tokens stop working. */
  pinChange: '/api/pins',
} as const;

/** Largest roster file accepted (a community of 10,000+ people in XLSX is far below this). */
export const MAX_ROSTER_BYTES = 20 * 1024 * 1024;

const Pin = z.string().regex(/^\d{4,8}$/, 'PIN is 4–8 digits');

export const LoginRequest = z.strictObject({
  role: z.enum(ROLES),
  pin: Pin,
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Answer to a login and to a renewal. Times are relative (ms), so the page's clock need not agree with the server's. */
export interface LoginResponse {
  token: string;
  role: Role;
  expiresIn: number;
  /** When to ask for a fresh token (0: now). */
  renewIn: number;
}

/** Changing the staff PIN needs the current one, so an unattended staff page cannot lock staff out. */
export const PinChangeRequest = z.strictObject({
  role: z.enum(ROLES).exclude(['display']),
  pin: Pin,
  currentPin: Pin.optional(),
}).refine((r) => r.role !== 'staff' || r.currentPin !== undefined, { path: ['currentPin'], message: 'the current staff PIN is needed to change it' });
export type PinChangeRequest = z.infer<typeof PinChangeRequest>;

export interface PinChangeResponse {
  role: Role;
  /** After a staff PIN change: a new login for the page that made it (its old token was revoked with the others). */
  login?: LoginResponse;
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
