import { describe, expect, it } from 'vitest';
import {
  buildingFromSheetName,
  chineseNumber,
  extraColumns,
  findHeaderRow,
  mapHeaders,
  REQUIRED_FIELDS,
  ROSTER_FIELDS,
  validateRosterRow,
  type HeaderMap,
  type RowProblemCode,
} from '../../shared/roster';

const CN_HEADERS = ['姓名', '身份证号', '手机号', '楼栋', '单元', '房号', '标签'];
const CN_MAP = mapHeaders(CN_HEADERS);

/** One roster row in the Chinese column order above. */
function row(over: Partial<Record<'name' | 'id' | 'phone' | 'building' | 'unit' | 'room' | 'tags', string>> = {}) {
  const r = { name: '张伟', id: '11010519491231002X', phone: '13812345678', building: '3', unit: '2', room: '501', tags: '', ...over };
  return [r.name, r.id, r.phone, r.building, r.unit, r.room, r.tags];
}

function rejected(cells: string[], map: HeaderMap = CN_MAP): RowProblemCode {
  const r = validateRosterRow(cells, map);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.entry)}`);
  return r.code;
}

describe('finding the columns of a community roster (花名册)', () => {
  it('reads the usual Chinese headers', () => {
    expect(CN_MAP).toEqual({
      columns: { name: 0, idNumber: 1, phone: 2, building: 3, unit: 4, room: 5, tags: 6 },
      missing: [],
    });
  });

  it('reads English headers in any case, with spaces, underscores and dashes', () => {
    const map = mapHeaders(['Full Name', 'ID_Number', 'Mobile', 'Bldg', 'Unit', 'Room-No', 'Notes']);
    expect(map.columns).toEqual({ name: 0, idNumber: 1, phone: 2, building: 3, unit: 4, room: 5, tags: 6 });
    expect(map.missing).toEqual([]);
  });

  it('reads the other Chinese words sheets use, in any order', () => {
    const map = mapHeaders(['序号', '门牌号', '楼号', '居民姓名', '证件号码', '联系电话', '人员类别', '单元号']);
    expect(map.columns).toEqual({ room: 1, building: 2, name: 3, idNumber: 4, phone: 5, tags: 6, unit: 7 });
    expect(map.missing).toEqual([]);
  });

  it('ignores the byte-order mark Excel puts before the first header of a UTF-8 CSV', () => {
    const map = mapHeaders(['\uFEFF姓名', '身份证号', '楼栋', '房号']);
    expect(map.columns.name).toBe(0);
    expect(map.missing).toEqual([]);
  });

  it('ignores required-field stars, colons and brackets around header words', () => {
    const map = mapHeaders(['*姓名', '身份证号码：', '（楼栋）', ' 房号 ', 'ID (card)']);
    expect(map.columns).toMatchObject({ name: 0, idNumber: 1, building: 2, room: 3 });
    expect(map.missing).toEqual([]);
  });

  it('reports required columns it could not find; phone, unit and tags are optional', () => {
    expect(REQUIRED_FIELDS).toEqual(['name', 'idNumber', 'building', 'room']);
    expect(mapHeaders(['姓名', '手机号', '单元', '标签']).missing).toEqual(['idNumber', 'building', 'room']);
    expect(mapHeaders(['姓名', '身份证号', '楼栋', '房号']).missing).toEqual([]);
    expect(mapHeaders([]).missing).toEqual([...REQUIRED_FIELDS]);
  });

  it('does not guess from unknown headers', () => {
    const map = mapHeaders(['序号', '性别', '年龄', '工作单位']);
    expect(map.columns).toEqual({});
    expect(map.missing).toEqual(['name', 'idNumber', 'building', 'room']);
  });

  it('the first matching column wins when a header repeats', () => {
    const map = mapHeaders(['姓名', '身份证号', '楼栋', '房号', '电话', '手机']);
    expect(map.columns.phone).toBe(4);
  });

  it('knows all ten fields', () => {
    expect(ROSTER_FIELDS).toEqual(['name', 'idType', 'idNumber', 'nationality', 'idNote', 'phone', 'building', 'unit', 'room', 'tags']);
  });
});

describe('checking one roster row', () => {
  it('imports a clean row as it is, with no warnings', () => {
    expect(validateRosterRow(row(), CN_MAP)).toEqual({
      ok: true,
      entry: {
        name: '张伟',
        idType: 'resident-id',
        idNumber: '11010519491231002X',
        nationality: '',
        idNote: '',
        phone: '13812345678',
        building: '3',
        unit: '2',
        room: '501',
        tags: [],
      },
      warnings: [],
    });
  });

  it('strips address suffixes: 3号楼 → 3, 2单元 → 2, 501室 → 501', () => {
    const r = validateRosterRow(row({ building: '3号楼', unit: '2单元', room: '501室' }), CN_MAP);
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.entry.building, r.entry.unit, r.entry.room]).toEqual(['3', '2', '501']);
  });

  it('upper-cases a lower-case x and trims spaces in the ID number', () => {
    const r = validateRosterRow(row({ id: ' 11010519491231002x ' }), CN_MAP);
    expect(r.ok && r.entry.idNumber).toBe('11010519491231002X');
  });

  it('tidies the name: trims it and collapses inner runs of spaces', () => {
    const r = validateRosterRow(row({ name: '  Ayşe   Yılmaz ' }), CN_MAP);
    expect(r.ok && r.entry.name).toBe('Ayşe Yılmaz');
  });

  it('reads tags and normalizes the phone', () => {
    const r = validateRosterRow(row({ tags: '老人、行动不便', phone: '+86 139 0000 1111' }), CN_MAP);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.entry.tags).toEqual(['elderly', 'immobile']);
      expect(r.entry.phone).toBe('13900001111');
      expect(r.warnings).toEqual([]);
    }
  });

  it('rejects a row with an empty name', () => {
    expect(rejected(row({ name: '' }))).toBe('name-empty');
    expect(rejected(row({ name: '   ' }))).toBe('name-empty');
  });

  it('rejects a name longer than 40 characters', () => {
    expect(rejected(row({ name: '王'.repeat(41) }))).toBe('name-too-long');
    expect(validateRosterRow(row({ name: '王'.repeat(40) }), CN_MAP).ok).toBe(true);
  });

  it('rejects an empty ID number', () => {
    expect(rejected(row({ id: '' }))).toBe('id-empty');
  });

  it('rejects a bad ID number with the reason from the ID check', () => {
    expect(rejected(row({ id: '110105194912310021' }))).toBe('id-check');
    expect(rejected(row({ id: '11010519491231' }))).toBe('id-shape');
    // 1990-02-30 with a correct check character: only the date is wrong
    expect(rejected(row({ id: '11010519900230001X' }))).toBe('id-birth-date');
  });

  it('rejects an ID number that Excel turned into 1.10105E+17, telling staff to format the column as text', () => {
    expect(rejected(row({ id: '1.10105E+17' }))).toBe('id-scientific');
    expect(rejected(row({ id: '1.10105e+17' }))).toBe('id-scientific');
  });

  it('rejects a row with no building or no room', () => {
    expect(rejected(row({ building: '' }))).toBe('building-empty');
    expect(rejected(row({ building: '号楼' }))).toBe('building-empty');
    expect(rejected(row({ room: '' }))).toBe('room-empty');
    expect(rejected(row({ room: '室' }))).toBe('room-empty');
  });

  it('accepts a row with no unit (buildings without units)', () => {
    const r = validateRosterRow(row({ unit: '' }), CN_MAP);
    expect(r.ok && r.entry.unit).toBe('');
  });

  it('rejects an address part longer than 20 characters', () => {
    expect(rejected(row({ room: '1'.repeat(21) }))).toBe('address-too-long');
  });

  it('a bad phone is a warning, not a rejection: the person is imported without it', () => {
    const r = validateRosterRow(row({ phone: '1381234' }), CN_MAP);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.entry.phone).toBe('');
      expect(r.warnings).toEqual([{ code: 'phone-invalid', params: { phone: '1381234' } }]);
    }
  });

  it('an empty phone is fine and gives no warning', () => {
    const r = validateRosterRow(row({ phone: '' }), CN_MAP);
    expect(r).toMatchObject({ ok: true, warnings: [] });
  });

  it('unknown tags are a warning; the known ones are still read', () => {
    const r = validateRosterRow(row({ tags: '孕妇、低保户、党员' }), CN_MAP);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.entry.tags).toEqual(['pregnant']);
      expect(r.warnings).toEqual([{ code: 'tags-unknown', params: { tags: '低保户, 党员' } }]);
    }
  });

  it('a bad phone and unknown tags give two warnings', () => {
    const r = validateRosterRow(row({ phone: 'n/a', tags: 'VIP' }), CN_MAP);
    expect(r.ok && r.warnings).toHaveLength(2);
  });

  it('reads rows of a sheet with only the required columns, in another order', () => {
    const map = mapHeaders(['房号', '楼栋', '身份证号', '姓名']);
    const r = validateRosterRow(['501室', '3号楼', '310104198001010017', '李娜'], map);
    expect(r).toEqual({
      ok: true,
      entry: {
        name: '李娜',
        idType: 'resident-id',
        idNumber: '310104198001010017',
        nationality: '',
        idNote: '',
        phone: '',
        building: '3',
        unit: '',
        room: '501',
        tags: [],
      },
      warnings: [],
    });
  });

  it('treats cells missing at the end of a short row as empty', () => {
    const r = validateRosterRow(['王芳', '310104198001010017', '', '3', '1', '101'], CN_MAP);
    expect(r).toMatchObject({ ok: true, entry: { tags: [], phone: '' }, warnings: [] });
  });
});

describe('finding the header of a sheet as staff keep it', () => {
  const TITLE = '幸福里社区全员核酸检测花名册';
  const HEADER = ['序号', '姓名', '性别', '年龄', '身份证号码', '手机号码', '单元', '房号'];

  it('skips a title merged across the header (read as the title in every merged cell), and blank-ish rows', () => {
    const rows = [Array(8).fill(TITLE), ['填报日期：2022-04-05'], HEADER, ['1', '张伟', '男', '73', '11010519491231002X', '', '2', '501']];
    const found = findHeaderRow(rows);
    expect(found.index).toBe(2);
    expect(found.map.columns).toEqual({ name: 1, idNumber: 4, phone: 5, unit: 6, room: 7 });
    expect(extraColumns(rows[2], found.map)).toEqual(['序号', '性别', '年龄']);
  });

  it('takes the row naming the most fields, and needs at least a name and an ID number', () => {
    expect(
      findHeaderRow([
        ['姓名', '楼栋', '房号'],
        ['姓名', '公民身份号码', '楼号', '门牌号'],
      ]).index,
    ).toBe(1);
    const none = findHeaderRow([[TITLE], ['姓名', '楼栋', '房号']]);
    expect(none.index).toBe(-1);
    // The closest row says what is lacking.
    expect(none.map.missing).toEqual(['idNumber']);
  });

  it('looks only in the first 10 rows: a data cell far down is not a header', () => {
    const rows = [...Array.from({ length: 10 }, () => ['说明文字']), ['姓名', '身份证号', '楼栋', '房号']];
    expect(findHeaderRow(rows).index).toBe(-1);
  });

  it('reads the header words sheets use for ID numbers, phones, buildings and rooms', () => {
    const map = mapHeaders(['人员姓名', '公民身份号码', '联系方式', '栋号', '单元号', '室号']);
    expect(map.columns).toEqual({ name: 0, idNumber: 1, phone: 2, building: 3, unit: 4, room: 5 });
  });
});

describe('the building a sheet name stands for', () => {
  it.each([
    ['3号楼', '3'],
    ['3栋', '3'],
    ['3幢', '3'],
    ['3#楼', '3'],
    ['3#', '3'],
    ['12号楼花名册', '12'],
    [' 07栋 ', '7'],
    ['Building 3', '3'],
    ['bldg 12', '12'],
    ['Block A', 'A'],
    ['3', '3'],
    ['三号楼', '3'],
    ['第三栋', '3'],
    ['十二栋', '12'],
    ['二十号楼', '20'],
    ['九十九幢', '99'],
    ['两号楼', '2'],
    ['A座', 'A'],
  ])('%s → %s', (name, building) => {
    expect(buildingFromSheetName(name)).toBe(building);
  });

  it.each(['花名册', 'Sheet1', '填表说明', '说明', '', '0号楼', '楼栋汇总'])('%s gives no building', (name) => {
    expect(buildingFromSheetName(name)).toBeNull();
  });

  it('reads Chinese numerals from 一 to 九十九 and on', () => {
    expect([...'一二三四五六七八九'].map((d) => chineseNumber(d))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(['十', '十一', '二十', '二十五', '九十九', '一百', '一百零三'].map(chineseNumber)).toEqual([10, 11, 20, 25, 99, 100, 103]);
    expect(chineseNumber('三号')).toBeNull();
  });

  it("a row with no building cell takes the sheet's building; its own building cell wins", () => {
    const map = mapHeaders(['姓名', '身份证号', '楼栋', '房号']);
    const withBuilding = validateRosterRow(['李娜', '310104198001010017', '', '501'], map, '3');
    expect(withBuilding).toMatchObject({ ok: true, entry: { building: '3', room: '501' } });
    expect(validateRosterRow(['李娜', '310104198001010017', '5栋', '501'], map, '3')).toMatchObject({ ok: true, entry: { building: '5' } });
    expect(validateRosterRow(['李娜', '310104198001010017', '', '501'], map)).toMatchObject({ ok: false, code: 'building-empty' });
  });
});

describe('a roster with an ID type column (证件类型)', () => {
  const map = mapHeaders(['姓名', '证件类型', '证件号码', '国籍', '证件说明', '楼栋', '房号']);
  const typed = (type: string, id: string, nationality = '', note = '') =>
    validateRosterRow(['Anna', type, id, nationality, note, '3', '501'], map);

  it('finds the ID type, nationality and note columns', () => {
    expect(map.columns).toMatchObject({ idType: 1, idNumber: 2, nationality: 3, idNote: 4 });
    expect(map.missing).toEqual([]);
  });

  it('reads each type by its Chinese name and checks the number for that type', () => {
    expect(typed('港澳居民来往内地通行证', 'h12345678')).toMatchObject({
      ok: true,
      entry: { idType: 'hk-macau-permit', idNumber: 'H12345678' },
    });
    expect(typed('台胞证', '12345678')).toMatchObject({ ok: true, entry: { idType: 'taiwan-permit', idNumber: '12345678' } });
    expect(typed('出生医学证明', 'O440012345')).toMatchObject({ ok: true, entry: { idType: 'birth-certificate' } });
    expect(typed('', '11010519491231002X')).toMatchObject({ ok: true, entry: { idType: 'resident-id' } });
    expect(typed('passport', 'E12345678', 'usa')).toMatchObject({ ok: true, entry: { idType: 'passport', nationality: 'USA' } });
  });

  it('refuses rows with a reason code per type', () => {
    expect(typed('港澳通行证', 'H1234')).toMatchObject({ ok: false, code: 'hk-macau-permit-shape' });
    expect(typed('护照', 'E12345678')).toMatchObject({ ok: false, code: 'nationality-empty' });
    expect(typed('驾驶证', '12345678')).toMatchObject({ ok: false, code: 'id-type-unknown', params: { idType: '驾驶证' } });
    expect(typed('无证件', '')).toMatchObject({ ok: false, code: 'id-note-empty' });
  });

  it('takes someone without an ID with a note', () => {
    expect(typed('无证件', '', '', '证件遗失，居委会王主任核实')).toMatchObject({
      ok: true,
      entry: { idType: 'none', idNumber: '', idNote: '证件遗失，居委会王主任核实' },
    });
  });
});
