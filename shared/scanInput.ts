import { isValidIdNumber, looksLikeIdNumber, normalizeIdNumber } from './idNumber';
import { CODE_VERSION, parseResidentCode, type ResidentCode } from './residentCode';

export type ScanInput =
  | { kind: 'code'; code: ResidentCode }
  | { kind: 'id-number'; idNumber: string }
  | { kind: 'bad-id-number' }
  | { kind: 'bad-code' }
  | { kind: 'unreadable' };

/** Full-width ASCII (what a Chinese IME types) back to half-width. */
function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Tells what a scanned or typed text is: a resident code, an ID number, or neither. */
export function classifyScan(raw: string): ScanInput {
  const text = normalizeIdNumber(toHalfWidth(raw)).replace(/\s+/g, '');
  if (text.startsWith(`${CODE_VERSION}:`)) {
    const code = parseResidentCode(text);
    return code ? { kind: 'code', code } : { kind: 'bad-code' };
  }
  if (looksLikeIdNumber(text)) {
    return isValidIdNumber(text) ? { kind: 'id-number', idNumber: text } : { kind: 'bad-id-number' };
  }
  return { kind: 'unreadable' };
}
