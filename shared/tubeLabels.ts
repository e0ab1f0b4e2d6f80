// Tube labels printed at the kiosk instead of scanning a pre-labelled tube: the server makes
// the code, so it is unique like any scanned one.
import { z } from 'zod';
import { key } from './ids';

export const TubeLabelRequest = z.strictObject({ key, groupId: z.number().int().positive() });
export type TubeLabelRequest = z.infer<typeof TubeLabelRequest>;

/** Crockford base32: no I, L, O or U, so a code read aloud or retyped is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A printable tube code: `NQT-` and 10 random base32 characters (50 bits), e.g. NQT-7K3M9Q2XAB. */
export function tubeCodeFrom(random: Uint8Array): string {
  if (random.length < 10) throw new Error('a tube code needs 10 random bytes');
  return `NQT-${Array.from(random.subarray(0, 10), (b) => ALPHABET[b % 32]).join('')}`;
}
