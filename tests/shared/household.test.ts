import { describe, expect, it } from 'vitest';
import { householdKey, normalizeAddress } from '../../shared/household';

describe('addresses from community spreadsheets', () => {
  it('strips the suffixes: 3号楼 → 3, 2单元 → 2, 501室 → 501', () => {
    expect(normalizeAddress({ building: '3号楼', unit: '2单元', room: '501室' })).toEqual({
      building: '3',
      unit: '2',
      room: '501',
    });
  });

  it('knows the other building words: 号, 栋, 幢, 座, 楼', () => {
    for (const b of ['12号', '12栋', '12幢', '12座', '12楼', '12号楼']) {
      expect(normalizeAddress({ building: b, unit: '', room: '1' }).building).toBe('12');
    }
    expect(normalizeAddress({ building: 'A座', unit: '', room: '1' }).building).toBe('A');
  });

  it('knows 门 for units and 号, 户 for rooms', () => {
    const a = normalizeAddress({ building: '7', unit: '1门', room: '302号' });
    expect(a.unit).toBe('1');
    expect(a.room).toBe('302');
    expect(normalizeAddress({ building: '7', unit: '', room: '3户' }).room).toBe('3');
  });

  it('removes spaces typed inside and around the values', () => {
    expect(normalizeAddress({ building: ' 3 号楼 ', unit: ' 2 单元', room: '5 01 室 ' })).toEqual({
      building: '3',
      unit: '2',
      room: '501',
    });
  });

  it('leaves clean values untouched', () => {
    expect(normalizeAddress({ building: '3', unit: '2', room: '501' })).toEqual({ building: '3', unit: '2', room: '501' });
  });

  it('strips only one suffix at the end, not characters in the middle', () => {
    expect(normalizeAddress({ building: '楼3', unit: '', room: '1' }).building).toBe('楼3');
  });
});

describe('a household is written building-unit-room', () => {
  it('3-2-501 with a unit', () => {
    expect(householdKey({ building: '3', unit: '2', room: '501' })).toBe('3-2-501');
  });

  it('3-501 when the building has no units', () => {
    expect(householdKey({ building: '3', unit: '', room: '501' })).toBe('3-501');
  });

  it('people in the same flat written differently in the sheet end up in one household', () => {
    const a = householdKey(normalizeAddress({ building: '3号楼', unit: '2单元', room: '501室' }));
    const b = householdKey(normalizeAddress({ building: '3', unit: '2', room: '501' }));
    expect(a).toBe(b);
  });
});
