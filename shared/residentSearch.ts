// Finding a resident without a code (an elderly person without a phone, a lost card): by room,
// by name, or by the pinyin initials a sampler types fastest (zsf → 张三丰).
import { pinyin } from 'pinyin-pro';
import type { IdType } from './idTypes';

export const MAX_SEARCH_QUERY = 40;
/** Characters of a name or of initials a search needs: one character matches half the roster. */
export const MIN_SEARCH_TEXT = 2;
/**
 * Enough to pick one person at a desk (a household is rarely more); a vaguer query is narrowed,
 * not scrolled. Few rows also keep the search from listing the roster.
 */
export const SEARCH_LIMIT = 5;

/**
 * What the kiosk shows for one match. The code is for the kiosk to scan on the person's behalf:
 * it goes out only for these few rows, to a kiosk or staff, rate-limited and audited.
 */
export interface ResidentSearchHit {
  name: string;
  household: string;
  idType: IdType;
  maskedIdNumber: string;
  tags: string[];
  code: string;
}

export type SearchQuery =
  /** 3-2-501, 3-501, 3-2-5 (a prefix), 501 */
  { kind: 'room'; parts: string[] } | { kind: 'initials'; initials: string } | { kind: 'name'; text: string };

/** Each character's initial ('' for one that gives none), or null when it depends on the characters around it. */
const INITIAL_OF = new Map<string, string | null>();

/** Lower-case pinyin initials of a name; letters and digits in the name are kept as they are. */
export function nameInitials(name: string): string {
  const trimmed = name.trim();
  // A roster import derives 100,000 of these: most characters read the same wherever they stand,
  // so their initial is looked up once; a name holding any other character is read as a whole.
  let out = '';
  for (const char of trimmed) {
    let initial = INITIAL_OF.get(char);
    if (initial === undefined) INITIAL_OF.set(char, (initial = contextFreeInitial(char)));
    if (initial === null) return wholeNameInitials(trimmed);
    out += initial;
  }
  return out;
}

function wholeNameInitials(name: string): string {
  const chars = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' });
  return chars
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The character's initial when all its readings, as a surname too, start with the same letter
 * (张 zhāng, 朴 pǔ/piáo); null for one read differently by context (长 cháng/zhǎng, 单 dān/shàn as
 * a surname) and for 々, which repeats the character before it. pinyin-pro's phrase and surname
 * rules never change an initial in a name made only of the former (tests/shared/nameInitials.test.ts
 * checks every rule).
 */
function contextFreeInitial(char: string): string | null {
  if (char === '々') return null;
  const readings = pinyin(char, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head', multiple: true });
  const initials = new Set(readings.map((r) => r.toLowerCase().replace(/[^a-z0-9]/g, '')));
  return initials.size === 1 ? [...initials][0] : null;
}

/**
 * What a typed query asks for; null when it is too vague to search for: a room needs its building
 * (3-501, 3-2-501, 3-2-5), a name or initials at least MIN_SEARCH_TEXT characters.
 */
export function parseSearchQuery(raw: string): SearchQuery | null {
  // Full-width digits and dashes, as a Chinese IME types them, count as ASCII.
  const q = raw.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s+/g, '');
  if (!q || q.length > MAX_SEARCH_QUERY) return null;
  if (/^[0-9][0-9A-Za-z]*(-[0-9A-Za-z]*){0,2}$/.test(q)) {
    const parts = q.split('-').filter((p) => p !== '');
    return parts.length >= 2 ? { kind: 'room', parts } : null;
  }
  if (/^[A-Za-z]+$/.test(q)) return q.length >= MIN_SEARCH_TEXT ? { kind: 'initials', initials: q.toLowerCase() } : null;
  // LIKE wildcards never belong to a name.
  const text = q.replace(/[%_\\]/g, '');
  return Array.from(text).length >= MIN_SEARCH_TEXT ? { kind: 'name', text } : null;
}

/** The query as the audit trail keeps it: a room as typed, a name or initials masked to their first character (张**, z**). */
export function auditedQuery(query: SearchQuery): string {
  if (query.kind === 'room') return query.parts.join('-');
  const chars = Array.from(query.kind === 'name' ? query.text : query.initials);
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** GET ?q=… ; kiosk and staff: at most SEARCH_LIMIT hits; SEARCHES_PER_MINUTE per device. */
export const RESIDENT_SEARCH_PATH = '/api/residents/search';

/** Searches one device may make a minute (a desk needs a few an hour; typing a room sends one or two). */
export const SEARCHES_PER_MINUTE = 10;
