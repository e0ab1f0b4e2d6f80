// HTTP paths and bodies of /me: a resident finds their own code (核酸码) with the details the
// community holds, or pre-registers when they are not on the roster; staff confirm pre-registrations.
import { z } from 'zod';
import { MAX_NATIONALITY, NUMBERED_ID_TYPES, type IdType } from './idTypes';
import type { OwnResult } from './labApi';

// The paths (and how many people a phone keeps) live in apiPaths.ts: the /me page needs no zod.
export { MAX_PEOPLE_ON_PHONE, ME_API } from './apiPaths';

const key = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'idempotency key must be 8–64 letters, digits, _ or -');
const name = z.string().trim().min(1).max(40);
const idNumber = z.string().trim().min(1).max(32);
/** A resident ID when absent; 无证件 has no number to find a code by (staff register those people). */
const idType = z.enum(NUMBERED_ID_TYPES).optional();

export const FindCodeRequest = z.strictObject({
  name,
  idType,
  idNumber,
  /** Asked for when the roster holds a phone for the person. */
  phoneLast4: z
    .string()
    .trim()
    .regex(/^\d{4}$/, 'the last 4 digits of the phone')
    .optional(),
});
export type FindCodeRequest = z.infer<typeof FindCodeRequest>;

export const PreregisterRequest = z.strictObject({
  key,
  name,
  idType,
  idNumber,
  /** A passport's. */
  nationality: z.string().trim().max(MAX_NATIONALITY).optional(),
  building: z.string().trim().min(1).max(20),
  unit: z.string().trim().max(20),
  room: z.string().trim().min(1).max(20),
  phone: z.string().trim().min(1).max(20),
});
export type PreregisterRequest = z.infer<typeof PreregisterRequest>;

/** A person's own code as the printed sheet carries it; the name masked, as everywhere public. */
export interface FoundCode {
  code: string;
  maskedName: string;
  /** Pre-registered, not on the roster: the sampler checks the ID card. */
  unverified: boolean;
}

/** A pre-registration as staff see it (staff may see names; the ID number stays masked). */
export interface Preregistration {
  uid: string;
  name: string;
  idType: IdType;
  maskedIdNumber: string;
  building: string;
  unit: string;
  room: string;
  createdAt: string;
}

export const ConfirmPreregistrationsRequest = z.strictObject({
  key,
  uids: z
    .array(z.string().regex(/^[0-9A-Z]{10}$/))
    .min(1)
    .max(200),
});
export type ConfirmPreregistrationsRequest = z.infer<typeof ConfirmPreregistrationsRequest>;

export const StatusRequest = z.strictObject({
  codes: z.array(z.string().trim().min(1).max(64)).min(1).max(10),
});
export type StatusRequest = z.infer<typeof StatusRequest>;

/** One person's proof of sampling this round; null for a code the server does not know (a forged or removed one). */
export interface PersonStatus {
  code: string;
  result: OwnResult | null;
}
