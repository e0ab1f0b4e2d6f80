import en from '../../renderer/i18n/en';
import zhCN from '../../renderer/i18n/zh-CN';
import { describe, expect, it } from 'vitest';
import {
  checkPersonId,
  idFault,
  idKey,
  personKey,
  ID_TYPES,
  maskId,
  normalizeId,
  parseIdType,
  typesFitting,
  type IdType,
  type NumberedIdType,
} from '../../shared/idTypes';

// 9 · Beijing 11 · nationality 840 · born 1985-06-15 · 001 · check 1 (MOD 11-2, as resident IDs).
const FOREIGN_NEW = '911840198506150011';
const FOREIGN_OLD = 'USA110851200101';
const RESIDENT = '11010519491231002X';

describe('each ID type: valid numbers', () => {
  const valid: [IdType, string][] = [
    ['resident-id', RESIDENT],
    ['foreign-permanent', FOREIGN_NEW],
    ['foreign-permanent', FOREIGN_OLD],
    ['hk-macau-permit', 'H12345678'],
    ['hk-macau-permit', 'M1234567801'],
    ['taiwan-permit', '12345678'],
    ['taiwan-permit', '1234567890B'],
    ['passport', 'E12345678'],
    ['passport', 'X1234567'],
    ['birth-certificate', 'O440012345'],
  ];
  it.each(valid)('%s %s is valid', (type, id) => {
    expect(idFault(type as NumberedIdType, id)).toBeNull();
  });
});

describe('each ID type: invalid numbers and why', () => {
  const invalid: [IdType, string, string][] = [
    ['resident-id', '110105194912310021', 'id-check'],
    ['resident-id', 'H12345678', 'id-shape'],
    ['foreign-permanent', '911840198506150012', 'id-check'],
    ['foreign-permanent', '931156200102300016', 'id-birth-date'],
    ['foreign-permanent', '811840198506150011', 'foreign-permanent-shape'],
    ['foreign-permanent', 'US1108512001011', 'foreign-permanent-shape'],
    ['hk-macau-permit', 'K12345678', 'hk-macau-permit-shape'],
    ['hk-macau-permit', 'H123456789', 'hk-macau-permit-shape'],
    ['taiwan-permit', '1234567', 'taiwan-permit-shape'],
    ['taiwan-permit', '12345678901', 'taiwan-permit-shape'],
    ['passport', 'ABCDEFG', 'passport-shape'],
    ['passport', 'E12', 'passport-shape'],
    ['birth-certificate', '4400123456', 'birth-certificate-shape'],
    ['birth-certificate', 'O44001234', 'birth-certificate-shape'],
  ];
  it.each(invalid)('%s %s: %s', (type, id, fault) => {
    expect(idFault(type as NumberedIdType, id)).toBe(fault);
  });

  it('has a text for every fault in both languages', () => {
    for (const messages of [zhCN, en]) {
      for (const [, , fault] of invalid) expect((messages.idType.fault as Record<string, string>)[fault]).toMatch(/\S/);
    }
  });
});

describe('normalisation', () => {
  it('folds full-width characters, case and spaces, and drops the brackets cards print', () => {
    expect(normalizeId('hk-macau-permit', ' ｈ１２３４ ５６７８ ')).toBe('H12345678');
    expect(normalizeId('taiwan-permit', '1234567890(b)')).toBe('1234567890B');
    expect(normalizeId('passport', 'e 1234 5678')).toBe('E12345678');
    expect(normalizeId('resident-id', '11010519491231002x')).toBe(RESIDENT);
  });
});

describe('an ID type cell on a roster', () => {
  it('reads codes, Chinese names and common variants', () => {
    for (const t of ID_TYPES) expect(parseIdType(t)).toBe(t);
    expect(parseIdType('')).toBe('resident-id');
    expect(parseIdType('身份证')).toBe('resident-id');
    expect(parseIdType('外国人永久居留身份证')).toBe('foreign-permanent');
    expect(parseIdType('港澳居民来往内地通行证')).toBe('hk-macau-permit');
    expect(parseIdType('回乡证')).toBe('hk-macau-permit');
    expect(parseIdType('台胞证')).toBe('taiwan-permit');
    expect(parseIdType('护照')).toBe('passport');
    expect(parseIdType('Passport')).toBe('passport');
    expect(parseIdType('出生证')).toBe('birth-certificate');
    expect(parseIdType(' 无证件 ')).toBe('none');
  });

  it('refuses a word it does not know', () => {
    expect(parseIdType('驾驶证')).toBeNull();
  });
});

describe('which type a typed number fits', () => {
  it('names one type where only one shape fits', () => {
    expect(typesFitting(RESIDENT)).toEqual(['resident-id']);
    expect(typesFitting('h12345678')).toEqual(['hk-macau-permit']);
    expect(typesFitting(FOREIGN_NEW)).toEqual(['foreign-permanent']);
    expect(typesFitting('E12345678')).toEqual(['passport']);
  });

  it('names several where shapes overlap, and none for text that is no number', () => {
    expect(typesFitting('O440012345')).toEqual(['birth-certificate']);
    expect(typesFitting('12345678')).toEqual(['taiwan-permit']);
    expect(typesFitting('张三')).toEqual([]);
  });
});

describe('masking per type', () => {
  it('hides the middle and never the birth date', () => {
    expect(maskId('resident-id', RESIDENT)).toBe('1101**********002X');
    expect(maskId('foreign-permanent', FOREIGN_NEW)).toBe('911***********0011');
    expect(maskId('foreign-permanent', FOREIGN_NEW)).not.toContain('19850615');
    expect(maskId('hk-macau-permit', 'H12345678')).toBe('H*****678');
    expect(maskId('taiwan-permit', '12345678')).toBe('*****678');
    expect(maskId('passport', 'E12345678')).toBe('E*****678');
    expect(maskId('birth-certificate', 'O440012345')).toBe('O******345');
    expect(maskId('none', '')).toBe('');
  });

  it('masks a short number whole', () => {
    expect(maskId('passport', 'A1234')).toBe('*****');
  });
});

describe('the key a person is hashed under', () => {
  const base = { name: '张三', household: '3-1-501' };
  it('keeps a resident ID as it was hashed before ID types, and keys other types by their code', () => {
    expect(idKey('resident-id', RESIDENT)).toBe(RESIDENT);
    expect(idKey('taiwan-permit', '12345678')).toBe('taiwan-permit:12345678');
    expect(personKey({ ...base, idType: 'passport', idNumber: 'E12345678' })).toBe('passport:E12345678');
  });

  it('makes the same number under two types two keys', () => {
    const a = idKey('taiwan-permit', '12345678');
    const b = idKey('passport', '12345678');
    expect(a).not.toBe(b);
  });

  it('keys someone without an ID by name and household', () => {
    expect(personKey({ idType: 'none', idNumber: '', name: 'Anna  Li', household: '3-1-501' })).toBe('none:annali|3-1-501');
  });
});

describe("one person's ID with what its type needs", () => {
  it('needs a nationality for a passport', () => {
    expect(checkPersonId('passport', 'E12345678')).toEqual({ ok: false, fault: 'nationality-empty' });
    expect(checkPersonId('passport', 'e12345678', 'usa')).toEqual({
      ok: true,
      id: { idType: 'passport', idNumber: 'E12345678', nationality: 'USA', idNote: '' },
    });
  });

  it('needs a note and no number for someone without an ID', () => {
    expect(checkPersonId('none', '', '', '')).toEqual({ ok: false, fault: 'id-note-empty' });
    expect(checkPersonId('none', '12345678', '', '遗失')).toEqual({ ok: false, fault: 'id-number-with-none' });
    expect(checkPersonId('none', '', '', ' 身份证遗失，居委会核实 ')).toEqual({
      ok: true,
      id: { idType: 'none', idNumber: '', nationality: '', idNote: '身份证遗失，居委会核实' },
    });
  });

  it('refuses an empty or a wrong number with its fault', () => {
    expect(checkPersonId('hk-macau-permit', ' ')).toEqual({ ok: false, fault: 'id-empty' });
    expect(checkPersonId('hk-macau-permit', 'H1234')).toEqual({ ok: false, fault: 'hk-macau-permit-shape' });
  });
});
