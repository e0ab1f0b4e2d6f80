import { describe, expect, it } from 'vitest';
import { maskedNameShown, maskName } from '../../shared/names';

describe('names on the public display are masked', () => {
  it('a two-character name keeps only the surname: 张三 → 张*', () => {
    expect(maskName('张三')).toBe('张*');
  });

  it('a three-character name keeps the first and last characters: 张三丰 → 张*丰', () => {
    expect(maskName('张三丰')).toBe('张*丰');
  });

  it('a four-character name with a two-character surname: 欧阳娜娜 → 欧**娜', () => {
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
  });

  it('a one-character or empty name shows only a star', () => {
    expect(maskName('王')).toBe('*');
    expect(maskName('')).toBe('*');
    expect(maskName('   ')).toBe('*');
  });

  it('ignores spaces around the name', () => {
    expect(maskName(' 李四 ')).toBe('李*');
  });

  it('counts characters, not UTF-16 units, so rare characters outside the BMP are masked whole', () => {
    // 𠮷 (U+20BB7) is two UTF-16 code units but one character.
    expect(maskName('𠮷野家')).toBe('𠮷*家');
    expect(maskName('王𠮷')).toBe('王*');
  });

  it('never shows the middle of a long name', () => {
    const masked = maskName('爱新觉罗玄烨');
    expect(masked).toBe('爱****烨');
    expect(masked).not.toContain('觉');
  });
});

describe('what may be said of a name aloud', () => {
  it('is the characters its masked form shows, never a hidden one', () => {
    expect(maskedNameShown('张三丰')).toBe('张丰');
    expect(maskedNameShown(' 李四 ')).toBe('李');
    expect(maskedNameShown('𠮷野家')).toBe('𠮷家');
    expect(maskedNameShown('爱新觉罗玄烨')).toBe('爱烨');
    expect(maskedNameShown('王')).toBe('');
  });
});
