import { isValidIdNumber, looksLikeIdNumber } from './idNumber';
import { DEFAULT_ID_TYPE, idFault, normalizeId, toHalfWidth, type IdFault, type NumberedIdType } from './idTypes';
import { CODE_VERSION, parseResidentCode, type ResidentCode } from './residentCode';

export type ScanInput =
  | { kind: 'code'; code: ResidentCode }
  | { kind: 'id-number'; idType: NumberedIdType; idNumber: string }
  | { kind: 'bad-id-number'; idType: NumberedIdType; fault: IdFault }
  | { kind: 'bad-code' }
  | { kind: 'unreadable' };

/**
 * Tells what a scanned or typed text is: a resident code, an ID number, or neither. Without a type chosen,
 * an ID number is a resident ID (what scanners and typing gave before ID types); with one, the text is
 * read as that type's number, and a resident code is still a code.
 */
export function classifyScan(raw: string, idType?: NumberedIdType): ScanInput {
  const text = toHalfWidth(raw).toUpperCase().replace(/\s+/g, '');
  if (text.startsWith(`${CODE_VERSION}:`)) {
    const code = parseResidentCode(text);
    return code ? { kind: 'code', code } : { kind: 'bad-code' };
  }
  if (idType && idType !== DEFAULT_ID_TYPE) {
    const idNumber = normalizeId(idType, text);
    const fault = idFault(idType, idNumber);
    return fault ? { kind: 'bad-id-number', idType, fault } : { kind: 'id-number', idType, idNumber };
  }
  if (looksLikeIdNumber(text)) {
    return isValidIdNumber(text)
      ? { kind: 'id-number', idType: DEFAULT_ID_TYPE, idNumber: text }
      : { kind: 'bad-id-number', idType: DEFAULT_ID_TYPE, fault: idFault(DEFAULT_ID_TYPE, text)! };
  }
  return { kind: 'unreadable' };
}
