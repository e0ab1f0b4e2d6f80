// Chinese resident ID numbers (GB 11643): 17 digits + ISO 7064 MOD 11-2 check character.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character of an ID's first 17 characters, which are digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Trims and upper-cases a typed or scanned ID number (a lower-case x is common). */
export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

export function looksLikeIdNumber(s: string): boolean {
  return /^\d{17}[\dX]$/.test(s);
}

/** The number the digits of `s` from `start` to `end` write; -1 when one of them is not a digit. */
export function digitsAt(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** Of an ID that looks like one: the birth date it holds is a day that exists, from 1880. */
function birthDateValid(id: string): boolean {
  const y = digitsAt(id, 6, 10);
  const m = digitsAt(id, 10, 12);
  const d = digitsAt(id, 12, 14);
  if (y < 1880 || m < 1 || m > 12 || d < 1) return false;
  // Not past the month's end, which Date.UTC counts into the next month.
  return Date.UTC(y, m - 1, d) < Date.UTC(y, m, 1);
}

/** Full check: shape, birth date and check character. Expects a normalized number. */
export function isValidIdNumber(id: string): boolean {
  return looksLikeIdNumber(id) && birthDateValid(id) && idCheckChar(id.slice(0, 17)) === id[17];
}

/** The ways an ID number can be wrong, as codes a page can translate. */
export type IdFault = 'id-scientific' | 'id-shape' | 'id-birth-date' | 'id-check';

export const ID_FAULT_TEXT: Record<IdFault, string> = {
  'id-scientific': 'ID number was turned into scientific notation by Excel (format the column as text)',
  'id-shape': 'ID number must be 17 digits followed by a digit or X',
  'id-birth-date': 'ID number holds an impossible birth date',
  'id-check': 'ID number check character is wrong',
};

/** Why an ID number is not valid; null when it is valid. Expects a normalized number. */
export function idNumberFault(id: string): IdFault | null {
  if (/^\d(\.\d+)?E\+\d+$/i.test(id)) return 'id-scientific';
  if (!looksLikeIdNumber(id)) return 'id-shape';
  if (!birthDateValid(id)) return 'id-birth-date';
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return 'id-check';
  return null;
}

/** Why an ID number is not valid, for import reports; null when it is valid. */
export function idNumberProblem(id: string): string | null {
  const fault = idNumberFault(id);
  return fault && ID_FAULT_TEXT[fault];
}

/** The form shown outside the staff page: first 4 and last 4 characters. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** Birth date encoded in a valid ID number (YYYY-MM-DD). */
export function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}
