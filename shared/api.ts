// The HTTP API: paths and bodies, shared by the server and the pages.
import { z } from 'zod';
import { ROLES, type Role } from './roles';
import type { Params, RosterField, RowNote, RowProblemCode } from './roster';
import type { IdType } from './idTypes';
import type { ApiError } from './protocol';

export { API } from './apiPaths';

/**
 * Largest roster file accepted. A CSV file is read as it arrives, never whole in memory: a district's
 * 1,000,000 people are about 130 MB.
 */
export const MAX_ROSTER_BYTES = 200 * 1024 * 1024;
/** People a CSV roster may hold. */
export const MAX_CSV_ROWS = 1_200_000;
/**
 * Largest workbook (XLSX) accepted, and its people: a workbook is unpacked and read whole, so a larger
 * roster must come as CSV (the refusal says so). A lab's result file has this limit too.
 */
export const MAX_WORKBOOK_BYTES = 20 * 1024 * 1024;
export const MAX_WORKBOOK_ROWS = 200_000;

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
export const PinChangeRequest = z
  .strictObject({
    role: z.enum(ROLES).exclude(['display']),
    pin: Pin,
    currentPin: Pin.optional(),
  })
  .refine((r) => r.role !== 'staff' || r.currentPin !== undefined, {
    path: ['currentPin'],
    message: 'the current staff PIN is needed to change it',
  });
export type PinChangeRequest = z.infer<typeof PinChangeRequest>;

export interface PinChangeResponse {
  role: Role;
  /** After a staff PIN change: a new login for the page that made it (its old token was revoked with the others). */
  login?: LoginResponse;
}

/** Where a row is in the file: the worksheet's name (a CSV file's name) and the row number Excel shows. */
export interface RowPlace {
  sheet: string;
  row: number;
}

export interface RejectedRow extends RowPlace {
  code: RowProblemCode;
  params: Params;
}

export interface RowWarning extends RowPlace, RowNote {}

/** A worksheet that could not be read as a whole: it is left out, its rows count as rejected. */
export type SheetProblemCode = 'empty' | 'no-header' | 'missing-columns' | 'no-building';

export interface SheetReport {
  name: string;
  /** The row number of the header found, or null. */
  headerRow: number | null;
  /** Data rows under the header (non-empty ones). */
  rows: number;
  /** Rows that pass the checks, once per person. */
  accepted: number;
  rejected: number;
  /** For each field read, the header cell it was read from. */
  columns: Partial<Record<RosterField, string>>;
  /** The building taken from the sheet's name (no building column, or an empty cell); null when none. */
  building: string | null;
  /** Header cells that name no field: ignored. */
  extraColumns: string[];
  problem: { code: SheetProblemCode; params: Params } | null;
}

/** The same ID number on several rows: the first row is imported, the later ones are rejected. */
export interface DuplicatePerson {
  idType: IdType;
  maskedIdNumber: string;
  rows: (RowPlace & { name: string })[];
}

/** What a roster file holds, as checked before anything is written. */
export interface RosterCheck {
  /** Data rows read, over all sheets. */
  rows: number;
  /** People who would be imported (one per ID number). */
  accepted: number;
  sheets: SheetReport[];
  /** The rejected rows (a preview lists the first PREVIEW_ROWS); rows of a sheet left out are counted only. */
  rejected: RejectedRow[];
  rejectedCount: number;
  warnings: RowWarning[];
  warningCount: number;
  duplicates: DuplicatePerson[];
  /** People found on more than one row. */
  duplicateCount: number;
}

/** The preview lists this many rejected rows, warnings and duplicates; the counts are whole. */
export const PREVIEW_ROWS = 50;
/** An import's report lists at most this many of each (a district's file may reject thousands of rows). */
export const IMPORT_LISTED = 10_000;

export type RosterPreview = RosterCheck;

export interface ImportReport extends RosterCheck {
  added: number;
  updated: number;
  unchanged: number;
}

export interface HouseholdCodes {
  household: string;
  /** The building unit (单元) the household is in; '' when the building has none. Sheets are printed unit by unit. */
  unit: string;
  members: { name: string; idType: IdType; maskedIdNumber: string; code: string }[];
}

export interface BuildingSummary {
  building: string;
  households: number;
  residents: number;
}

/** What the server tells every page about the site (GET API.site). */
export interface SiteInfo {
  /** The site's IANA time zone (SITE_TZ): every date and time a person reads is shown in it. */
  timeZone: string;
  /** A demo server (`npm run demo`): every page says its data is made up. */
  demo: boolean;
}

/** Error body of every failed request. */
export interface ErrorBody {
  error: ApiError;
}
