// The kinds of ID a resident may hold (证件类型), each with a stable ASCII code, its shape and check,
// and how it is masked. An ID number is unique per type: the same characters under two types are two people.
import { idCheckChar, idNumberFault, maskIdNumber, normalizeIdNumber, type IdFault as ResidentIdFault } from './idNumber';

export const ID_TYPES = [
  'resident-id',
  'foreign-permanent',
  'hk-macau-permit',
  'taiwan-permit',
  'passport',
  'birth-certificate',
  'none',
] as const;
export type IdType = (typeof ID_TYPES)[number];
/** A roster without an ID type column, and a kiosk whose type was not changed, mean this. */
export const DEFAULT_ID_TYPE = 'resident-id' satisfies IdType;
/** Types a number can be typed for (the kiosk, walk-ins, /me); 无证件 has no number to type. */
export type NumberedIdType = Exclude<IdType, 'none'>;
export const NUMBERED_ID_TYPES = ID_TYPES.filter((t): t is NumberedIdType => t !== 'none');

/** The Chinese name staff read and exports carry. */
export const ID_TYPE_NAMES: Record<IdType, string> = {
  'resident-id': '居民身份证',
  'foreign-permanent': '外国人永久居留身份证',
  'hk-macau-permit': '港澳居民来往内地通行证',
  'taiwan-permit': '台湾居民来往大陆通行证',
  passport: '护照',
  'birth-certificate': '出生医学证明',
  none: '无证件',
};

// What rosters write in an ID type column, folded as `fold` does. The 港澳台居民居住证 numbers follow GB 11643.
const TYPE_WORDS: Record<IdType, string[]> = {
  'resident-id': [
    '居民身份证',
    '身份证',
    '二代身份证',
    '中华人民共和国居民身份证',
    '大陆居民身份证',
    '公民身份证',
    '身份证号',
    '港澳台居民居住证',
    '港澳居民居住证',
    '台湾居民居住证',
    'residentid',
    'idcard',
    'id',
  ],
  'foreign-permanent': [
    '外国人永久居留身份证',
    '外国人永久居留证',
    '永久居留身份证',
    '永久居留证',
    '外国人居留证',
    '绿卡',
    '中国绿卡',
    'foreignpermanent',
    'permanentresidentid',
    'permanentresidence',
  ],
  'hk-macau-permit': [
    '港澳居民来往内地通行证',
    '港澳居民通行证',
    '港澳通行证',
    '回乡证',
    '港澳同胞回乡证',
    '香港居民来往内地通行证',
    '澳门居民来往内地通行证',
    'hkmacaupermit',
    'homereturnpermit',
  ],
  'taiwan-permit': ['台湾居民来往大陆通行证', '台湾居民通行证', '台湾通行证', '台胞证', 'taiwanpermit', 'mtp'],
  passport: ['护照', '外国护照', '中国护照', '普通护照', 'passport'],
  'birth-certificate': ['出生医学证明', '出生证', '出生证明', '出生医学证', 'birthcertificate', 'birth'],
  none: ['无证件', '无', '无证', '没有证件', '无身份证', '暂无证件', 'none', 'noid'],
};

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

/** Full-width ASCII (what a Chinese IME types) back to half-width; the ideographic space too. */
export function toHalfWidth(s: string): string {
  // Most cells hold none: tested once instead of replaced twice.
  if (!FULL_WIDTH.test(s)) return s;
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const fold = (s: string) =>
  toHalfWidth(s)
    .trim()
    .toLowerCase()
    .replace(/[\s_\-·.()（）【】[\]]/g, '');

/** An ID type cell (a code, a Chinese name or a common variant) → the type; empty → the default; null when unknown. */
export function parseIdType(cell: string): IdType | null {
  // Most rosters have no ID type column, or leave it empty: nothing to fold.
  const word = cell && fold(cell);
  if (!word) return DEFAULT_ID_TYPE;
  if ((ID_TYPES as readonly string[]).includes(word)) return word as IdType;
  return ID_TYPES.find((t) => TYPE_WORDS[t].includes(word)) ?? null;
}

/**
 * A typed or scanned number as it is stored and hashed: half-width, upper case, no spaces, and without the
 * brackets and dashes cards print ("1234567890(B)", "H-12345678").
 */
export function normalizeId(type: IdType, raw: string): string {
  const text = toHalfWidth(raw).toUpperCase().replace(/\s+/g, '');
  return type === 'resident-id' ? normalizeIdNumber(text) : text.replace(/[()\-]/g, '');
}

/** The ways a number can be wrong for its type, as codes a page can translate. */
export type IdFault =
  | ResidentIdFault
  | 'foreign-permanent-shape'
  | 'hk-macau-permit-shape'
  | 'taiwan-permit-shape'
  | 'passport-shape'
  | 'birth-certificate-shape';

const SHAPES: Record<Exclude<IdType, 'resident-id' | 'none'>, RegExp> = {
  'foreign-permanent': /^(9\d{16}[\dX]|[A-Z]{3}\d{12})$/,
  'hk-macau-permit': /^[HM](\d{8}|\d{10})$/,
  'taiwan-permit': /^(\d{8}|\d{10}[A-Z])$/,
  passport: /^(?=.*\d)[A-Z0-9]{5,17}$/,
  'birth-certificate': /^[A-Z]\d{9}$/,
};

/**
 * Why a normalized number is not valid for its type; null when it is. The new 18-character foreign permanent
 * resident ID carries its birth date and check character where a resident ID does (GB 11643 MOD 11-2).
 */
export function idFault(type: NumberedIdType, id: string): IdFault | null {
  if (type === 'resident-id') return idNumberFault(id);
  if (/^\d(\.\d+)?E\+\d+$/.test(id)) return 'id-scientific';
  if (!SHAPES[type].test(id)) return `${type}-shape`;
  if (type === 'foreign-permanent' && id.length === 18) {
    const fault = idNumberFault(id);
    if (fault === 'id-birth-date') return fault;
    if (idCheckChar(id.slice(0, 17)) !== id[17]) return 'id-check';
  }
  return null;
}

/**
 * The types whose shape a typed text fits. A passport fits almost anything, so it is
 * listed only when nothing else fits; a page preselects a type when exactly one fits.
 */
export function typesFitting(raw: string): NumberedIdType[] {
  // No resident ID region code begins with 9: an 18-character number starting with 9 is a foreigner's.
  const fits = NUMBERED_ID_TYPES.filter((t) => t !== 'passport' && idFault(t, normalizeId(t, raw)) === null).filter(
    (t, _, all) => t !== 'resident-id' || !all.includes('foreign-permanent'),
  );
  if (fits.length) return fits;
  return idFault('passport', normalizeId('passport', raw)) === null ? ['passport'] : [];
}

// Characters kept in clear at each end when masked: enough to tell two people apart at a glance, never the birth date.
const MASK: Record<Exclude<IdType, 'resident-id' | 'none'>, [number, number]> = {
  'foreign-permanent': [3, 4],
  'hk-macau-permit': [1, 3],
  'taiwan-permit': [0, 3],
  passport: [1, 3],
  'birth-certificate': [1, 3],
};

/** The form shown outside the staff exports; 无证件 has no number to show. */
export function maskId(type: IdType, id: string): string {
  if (type === 'none') return '';
  if (type === 'resident-id') return maskIdNumber(id);
  const [head, tail] = MASK[type];
  if (id.length <= head + tail + 2) return '*'.repeat(id.length);
  return id.slice(0, head) + '*'.repeat(id.length - head - tail) + id.slice(id.length - tail);
}

/** Folded as names are compared: full-width folded, spaces and the middle dot of foreign names ignored. */
export function foldName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s·•.]/g, '')
    .toLowerCase();
}

/**
 * The text the keyed ID hash is made from. A resident ID is hashed as ever (rows from before ID types keep their
 * hash); other types carry their code, so one number under two types is two keys. Someone without an ID is known by
 * name and household, so a roster imported again updates them instead of adding them twice; nothing typed at a
 * kiosk can reach that key (no number is typed for 无证件).
 */
export function idKey(type: NumberedIdType, idNumber: string): string {
  return type === 'resident-id' ? idNumber : `${type}:${idNumber}`;
}

/** `idKey` of anyone on a roster, with or without an ID. */
export function personKey(p: { idType: IdType; idNumber: string; name: string; household: string }): string {
  return p.idType === 'none' ? `none:${foldName(p.name)}|${p.household}` : idKey(p.idType, p.idNumber);
}

export const MAX_NATIONALITY = 40;
export const MAX_ID_NOTE = 100;

/** What a person's ID needs beyond the number, per type: a nationality for a passport, a note for none. */
export type IdDetailFault =
  'nationality-empty' | 'nationality-too-long' | 'id-note-empty' | 'id-note-too-long' | 'id-number-with-none' | 'id-none-needs-room';

export interface PersonId {
  idType: IdType;
  /** Normalized; empty for 无证件. */
  idNumber: string;
  /** Passports only (ISO letters upper-cased, or the country as written). */
  nationality: string;
  /** 无证件 only: why, and who confirmed the person. */
  idNote: string;
}

export type IdCheckFault = IdFault | IdDetailFault | 'id-empty';
export type IdCheck = { ok: true; id: PersonId } | { ok: false; fault: IdCheckFault };

/**
 * One person's ID as typed or read from a roster row: the number for its type, the nationality a passport
 * needs, the note someone without an ID needs. The one check the roster, walk-ins and /me share.
 */
export function checkPersonId(type: IdType, rawNumber: string, rawNationality = '', rawNote = ''): IdCheck {
  if (type === 'none') {
    const note = rawNote.trim().replace(/\s+/g, ' ');
    if (rawNumber.trim()) return { ok: false, fault: 'id-number-with-none' };
    if (!note) return { ok: false, fault: 'id-note-empty' };
    if (Array.from(note).length > MAX_ID_NOTE) return { ok: false, fault: 'id-note-too-long' };
    return { ok: true, id: { idType: type, idNumber: '', nationality: '', idNote: note } };
  }
  const idNumber = normalizeId(type, rawNumber);
  if (!idNumber) return { ok: false, fault: 'id-empty' };
  const fault = idFault(type, idNumber);
  if (fault) return { ok: false, fault };
  let nationality = '';
  if (type === 'passport') {
    nationality = toHalfWidth(rawNationality).trim().replace(/\s+/g, ' ');
    if (/^[A-Za-z]{2,3}$/.test(nationality)) nationality = nationality.toUpperCase();
    if (!nationality) return { ok: false, fault: 'nationality-empty' };
    if (Array.from(nationality).length > MAX_NATIONALITY) return { ok: false, fault: 'nationality-too-long' };
  }
  return { ok: true, id: { idType: type, idNumber, nationality, idNote: '' } };
}
