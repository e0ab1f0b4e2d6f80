import { idNumberProblem, normalizeIdNumber } from './idNumber';
import { normalizeAddress } from './household';
import { isValidPhone, normalizePhone } from './phone';
import { parseTags, type Tag } from './tags';

// Roster (花名册) columns and the header words community spreadsheets use for them.
export const ROSTER_FIELDS = ['name', 'idNumber', 'phone', 'building', 'unit', 'room', 'tags'] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];
export const REQUIRED_FIELDS: readonly RosterField[] = ['name', 'idNumber', 'building', 'room'];

const HEADER_WORDS: Record<RosterField, string[]> = {
  name: ['姓名', '名字', '居民姓名', 'name', 'fullname'],
  idNumber: ['身份证号', '身份证号码', '身份证', '证件号码', '证件号', 'id', 'idnumber', 'idno', 'idcard'],
  phone: ['手机号', '手机号码', '手机', '电话', '联系电话', '电话号码', 'phone', 'mobile', 'tel'],
  building: ['楼栋', '楼号', '楼栋号', '栋', '楼', 'building', 'bldg'],
  unit: ['单元', '单元号', 'unit'],
  room: ['房号', '房间号', '门牌号', '户号', '室', 'room', 'roomno'],
  tags: ['标签', '备注', '人员类别', '类别', 'tags', 'tag', 'notes', 'note'],
};

function headerKey(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_\-*:：()（）]/g, '');
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

export interface RosterEntry {
  name: string;
  idNumber: string;
  phone: string;
  building: string;
  unit: string;
  room: string;
  tags: Tag[];
}

export type RowResult =
  | { ok: true; entry: RosterEntry; warnings: string[] }
  | { ok: false; reason: string };

/** Checks one data row; a bad row is rejected with the reason, a doubtful one imported with warnings. */
export function validateRosterRow(cells: readonly string[], map: HeaderMap): RowResult {
  const cell = (f: RosterField) => {
    const i = map.columns[f];
    return i === undefined ? '' : String(cells[i] ?? '').trim();
  };
  const name = cell('name').replace(/\s+/g, ' ');
  if (!name) return { ok: false, reason: 'name is empty' };
  if (Array.from(name).length > 40) return { ok: false, reason: 'name is longer than 40 characters' };
  const idNumber = normalizeIdNumber(cell('idNumber'));
  if (!idNumber) return { ok: false, reason: 'ID number is empty' };
  const idProblem = idNumberProblem(idNumber);
  if (idProblem) return { ok: false, reason: idProblem };
  const address = normalizeAddress({ building: cell('building'), unit: cell('unit'), room: cell('room') });
  if (!address.building) return { ok: false, reason: 'building is empty' };
  if (!address.room) return { ok: false, reason: 'room is empty' };
  if ([address.building, address.unit, address.room].some((s) => s.length > 20)) {
    return { ok: false, reason: 'building, unit or room is longer than 20 characters' };
  }
  const warnings: string[] = [];
  let phone = normalizePhone(cell('phone'));
  if (phone && !isValidPhone(phone)) {
    warnings.push(`phone "${phone}" is not a valid number and was left out`);
    phone = '';
  }
  const { tags, unknown } = parseTags(cell('tags'));
  if (unknown.length) warnings.push(`unknown tags ignored: ${unknown.join(', ')}`);
  return { ok: true, entry: { name, idNumber, phone, ...address, tags }, warnings };
}
