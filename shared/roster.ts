import { checkPersonId, parseIdType, type IdDetailFault, type IdFault, type IdType } from './idTypes';
import { normalizeAddress } from './household';
import { isValidPhone, normalizePhone } from './phone';
import { parseTags, type Tag } from './tags';

// Roster (花名册) columns and the header words community spreadsheets use for them.
export const ROSTER_FIELDS = ['name', 'idType', 'idNumber', 'nationality', 'idNote', 'phone', 'building', 'unit', 'room', 'tags'] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];
export const REQUIRED_FIELDS: readonly RosterField[] = ['name', 'idNumber', 'building', 'room'];

const HEADER_WORDS: Record<RosterField, string[]> = {
  name: ['姓名', '名字', '居民姓名', '人员姓名', '被采样人姓名', 'name', 'fullname'],
  idNumber: [
    '身份证号',
    '身份证号码',
    '身份证',
    '证件号码',
    '证件号',
    '公民身份号码',
    '公民身份证号码',
    '身份证件号码',
    '居民身份证号码',
    '居民身份证号',
    '身份证件号',
    'id',
    'idnumber',
    'idno',
    'idcard',
  ],
  // Absent: everyone holds a resident ID, as rosters did before ID types.
  idType: ['证件类型', '证件种类', '证件类别', '身份证件类型', 'idtype', 'documenttype', 'doctype'],
  nationality: ['国籍', '国籍地区', '国家地区', '国家', 'nationality', 'country'],
  // Not 备注: rosters use it for tags.
  idNote: ['证件说明', '证件备注', '无证件说明', '无证件原因', '无证件备注', 'idnote'],
  phone: ['手机号', '手机号码', '手机', '电话', '联系电话', '电话号码', '联系方式', '联系号码', '联系人电话', 'phone', 'mobile', 'tel'],
  building: ['楼栋', '楼号', '楼栋号', '栋', '楼', '栋号', '幢', '幢号', '楼宇', '楼宇号', 'building', 'bldg'],
  unit: ['单元', '单元号', 'unit'],
  room: ['房号', '房间号', '门牌号', '户号', '室', '室号', '房间', '房屋号', '户室号', 'room', 'roomno'],
  tags: ['标签', '备注', '人员类别', '类别', 'tags', 'tag', 'notes', 'note'],
};

/** Every roster column as a new file is written (the template staff download, the import's hint): its first header word. */
export function rosterColumns(): { field: RosterField; header: string; required: boolean }[] {
  return ROSTER_FIELDS.map((field) => ({ field, header: HEADER_WORDS[field][0], required: REQUIRED_FIELDS.includes(field) }));
}

function headerKey(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-*:：()（）]/g, '');
}

export interface HeaderMap {
  columns: Partial<Record<RosterField, number>>;
  missing: RosterField[];
}

/** Finds which column holds which field; reports required fields it could not find. */
export function mapHeaders(headers: readonly string[]): HeaderMap {
  const columns: Partial<Record<RosterField, number>> = {};
  headers.forEach((h, index) => {
    const key = headerKey(h);
    for (const field of ROSTER_FIELDS) {
      if (columns[field] === undefined && HEADER_WORDS[field].includes(key)) columns[field] = index;
    }
  });
  return { columns, missing: REQUIRED_FIELDS.filter((f) => columns[f] === undefined) };
}

/** The header cells that name no field (序号, 性别, 年龄 ...): ignored on import, listed in the report. */
export function extraColumns(headers: readonly string[], map: HeaderMap): string[] {
  const used = new Set(Object.values(map.columns));
  return headers.flatMap((h, i) => (used.has(i) || !h.trim() ? [] : [h.trim()]));
}

/** Rows searched for the header: sheets put titles, dates and notes above it. */
export const HEADER_SEARCH_ROWS = 10;

/**
 * The header among a sheet's first non-empty rows: the one naming the most fields, and at least
 * the name and ID number. A title row (merged across the header, or not) names none.
 * Returns the row's index, or -1 with the map of the closest row (to say what it lacks).
 */
export function findHeaderRow(rows: readonly (readonly string[])[]): { index: number; map: HeaderMap } {
  let best = { index: -1, map: mapHeaders([]) };
  let bestScore = 0;
  let closest = best.map;
  let closestScore = -1;
  for (const [index, cells] of rows.slice(0, HEADER_SEARCH_ROWS).entries()) {
    const map = mapHeaders(cells);
    const score = Object.keys(map.columns).length;
    if (score > closestScore) [closest, closestScore] = [map, score];
    const usable = map.columns.name !== undefined && map.columns.idNumber !== undefined;
    if (usable && score > bestScore) [best, bestScore] = [{ index, map }, score];
  }
  return best.index >= 0 ? best : { index: -1, map: closest };
}

const CHINESE_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十二 → 12, 二十 → 20, 九十九 → 99, 一百零三 → 103. */
export function chineseNumber(text: string): number | null {
  let total = 0;
  let digit = -1;
  for (const ch of text) {
    if (ch in CHINESE_DIGITS) digit = CHINESE_DIGITS[ch];
    else if (ch === '十' || ch === '百') {
      total += (digit < 0 ? 1 : digit) * (ch === '十' ? 10 : 100);
      digit = -1;
    } else return null;
  }
  return text ? total + Math.max(digit, 0) : null;
}

const NUMBERED_BUILDING = /^第?\s*([0-9]+|[零〇一二两三四五六七八九十百]+)\s*(号楼|号|栋|幢|座|楼|#)/;
const LETTERED_BUILDING = /^([A-Za-z])\s*(座|栋|幢|号楼|楼)/;
const ENGLISH_BUILDING = /^(?:building|bldg|block|blk)\.?\s*#?\s*([0-9]+|[A-Za-z])$/i;

/**
 * The building a sheet name stands for, when sheets are one per building without a building column:
 * 3号楼, 3栋, 3幢, 3#楼, 第三栋, 三号楼, Building 3, 3 → "3"; A座 → "A". Null for 花名册, Sheet1, 说明 ...
 */
export function buildingFromSheetName(sheetName: string): string | null {
  const name = sheetName.trim();
  if (/^[0-9]+$/.test(name)) return String(Number(name));
  const english = ENGLISH_BUILDING.exec(name);
  if (english) return /^\d+$/.test(english[1]) ? String(Number(english[1])) : english[1].toUpperCase();
  const lettered = LETTERED_BUILDING.exec(name);
  if (lettered) return lettered[1].toUpperCase();
  const numbered = NUMBERED_BUILDING.exec(name);
  if (!numbered) return null;
  const n = /^\d+$/.test(numbered[1]) ? Number(numbered[1]) : chineseNumber(numbered[1]);
  return n ? String(n) : null;
}

// ---- why a row is rejected or noted: a code a page translates, and its params ----

export type RowProblemCode =
  | 'name-empty'
  | 'name-too-long'
  | 'id-type-unknown'
  | 'id-empty'
  | IdFault
  | IdDetailFault
  | 'building-empty'
  | 'room-empty'
  | 'address-too-long'
  | 'duplicate';
export type RowNoteCode = 'phone-invalid' | 'tags-unknown';
export type Params = Record<string, string | number>;

export interface RowNote<C extends string = RowNoteCode> {
  code: C;
  params: Params;
}

export function rowNote<C extends RowProblemCode | RowNoteCode>(code: C, params: Params = {}): RowNote<C> {
  return { code, params };
}

export interface RosterEntry {
  name: string;
  idType: IdType;
  /** Normalized for its type; empty for 无证件. */
  idNumber: string;
  /** Passports only. */
  nationality: string;
  /** 无证件 only. */
  idNote: string;
  phone: string;
  building: string;
  unit: string;
  room: string;
  tags: Tag[];
}

export type RowResult = { ok: true; entry: RosterEntry; warnings: RowNote[] } | { ok: false; code: RowProblemCode; params: Params };

const reject = (code: RowProblemCode, params: Params = {}): RowResult => ({ ok: false, code, params });

/**
 * Checks one data row; a bad row is rejected with the reason, a doubtful one imported with warnings.
 * `sheetBuilding` (from the sheet's name) is the building of a row whose building cell is empty or absent.
 */
export function validateRosterRow(cells: readonly string[], map: HeaderMap, sheetBuilding?: string | null): RowResult {
  const { columns } = map;
  const name = cellOf(cells, columns.name).replace(/\s+/g, ' ');
  if (!name) return reject('name-empty');
  if (name.length > 40 && Array.from(name).length > 40) return reject('name-too-long');
  const idTypeCell = cellOf(cells, columns.idType);
  const idType = parseIdType(idTypeCell);
  if (!idType) return reject('id-type-unknown', { idType: idTypeCell });
  const id = checkPersonId(idType, cellOf(cells, columns.idNumber), cellOf(cells, columns.nationality), cellOf(cells, columns.idNote));
  if (!id.ok) return reject(id.fault);
  const address = normalizeAddress({
    building: cellOf(cells, columns.building) || (sheetBuilding ?? ''),
    unit: cellOf(cells, columns.unit),
    room: cellOf(cells, columns.room),
  });
  if (!address.building) return reject('building-empty');
  if (!address.room) return reject('room-empty');
  if (address.building.length > 20 || address.unit.length > 20 || address.room.length > 20) return reject('address-too-long');
  const warnings: RowNote[] = [];
  let phone = normalizePhone(cellOf(cells, columns.phone));
  if (phone && !isValidPhone(phone)) {
    warnings.push(rowNote('phone-invalid', { phone }));
    phone = '';
  }
  const { tags, unknown } = parseTags(cellOf(cells, columns.tags));
  if (unknown.length) warnings.push(rowNote('tags-unknown', { tags: unknown.join(', ') }));
  const { idNumber, nationality, idNote } = id.id;
  const { building, unit, room } = address;
  return { ok: true, entry: { name, idType, idNumber, nationality, idNote, phone, building, unit, room, tags }, warnings };
}

/** The trimmed text of a field's cell; empty when the sheet has no such column. */
function cellOf(cells: readonly string[], column: number | undefined): string {
  return column === undefined ? '' : String(cells[column] ?? '').trim();
}
