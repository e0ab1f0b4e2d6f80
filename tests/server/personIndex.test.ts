import { describe, expect, it } from 'vitest';
import { NameList, PersonIndex } from '../../server/roster/personIndex';
import { idNumberOf } from './helpers';

describe('the people of a roster being checked, by person key', () => {
  it('finds every resident ID and other key it was given, and none it was not, across growing', () => {
    const index = new PersonIndex();
    const ids = Array.from({ length: 50_000 }, (_, i) => idNumberOf(i % 7000, `11${String(Math.floor(i / 7000)).padStart(4, '0')}`));
    expect(new Set(ids).size).toBe(ids.length);
    ids.forEach((id, i) => index.getOrAdd(id, i));
    index.getOrAdd('passport:E1234567', -1);
    index.getOrAdd('none:zhangsan|1-1-101', -2);
    expect(index.size).toBe(50_002);
    // Found again: the value first held is kept.
    expect([index.getOrAdd(ids[3], 99), index.getOrAdd('passport:E1234567', 99), index.size]).toEqual([3, -1, 50_002]);
    expect(ids.every((id, i) => index.get(id) === i)).toBe(true);
    expect(index.get('passport:E1234567')).toBe(-1);
    expect(index.get('none:zhangsan|1-1-101')).toBe(-2);
    expect(index.get(idNumberOf(0, '120000'))).toBeUndefined();
    expect(index.get('passport:E7654321')).toBeUndefined();
  });

  it('never takes two IDs differing only in an impossible date for one person', () => {
    const index = new PersonIndex();
    index.getOrAdd('110105198101010012', 1);
    // Month 13 of 1980 is January 1981 to Date.UTC: held as a string, apart.
    expect(index.get('110105198013010012')).toBeUndefined();
    index.getOrAdd('110105198013010012', 2);
    expect([index.get('110105198101010012'), index.get('110105198013010012')]).toEqual([1, 2]);
  });

  it("keeps each accepted person's name by number, in chunks and in the chunk being filled", () => {
    const names = new NameList();
    for (let i = 0; i < 10_000; i++) names.push(`名${i}`);
    expect([0, 4095, 4096, 8191, 8192, 9999].map((i) => names.get(i))).toEqual(['名0', '名4095', '名4096', '名8191', '名8192', '名9999']);
  });
});
