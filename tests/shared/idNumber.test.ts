import { describe, expect, it } from 'vitest';
import {
  birthDateOf,
  idCheckChar,
  idNumberProblem,
  isValidIdNumber,
  looksLikeIdNumber,
  maskIdNumber,
  normalizeIdNumber,
} from '../../shared/idNumber';

// Worked out by hand with the MOD 11-2 weights (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2).
const WELL_KNOWN_X = '11010519491231002X'; // Chaoyang, Beijing, born 1949-12-31, female, check X
const SHANGHAI_MAN = '310104198001010017'; // Xuhui, Shanghai, born 1980-01-01, check 7
const DONGCHENG = '110101199003071233'; // Dongcheng, Beijing, born 1990-03-07, check 3
const LEAP_DAY_2000 = '110105200002290013'; // 2000 is a leap year, so Feb 29 exists

/** Builds an ID number whose check character is right, so only the date can be wrong. */
function withCheckChar(first17: string): string {
  return first17 + idCheckChar(first17);
}

describe('ID number check character (MOD 11-2)', () => {
  it('computes X for the well-known example 11010519491231002X', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
  });

  it('computes digit check characters for other real-looking numbers', () => {
    expect(idCheckChar('31010419800101001')).toBe('7');
    expect(idCheckChar('11010119900307123')).toBe('3');
    expect(idCheckChar('11010520000229001')).toBe('3');
  });

  it('only ever produces 0-9 or X', () => {
    for (let seq = 0; seq < 200; seq++) {
      const c = idCheckChar(`1101051990010${String(seq).padStart(3, '0')}`.padEnd(17, '0'));
      expect(c).toMatch(/^[0-9X]$/);
    }
  });
});

describe('a resident ID number typed at the point', () => {
  it('accepts real valid numbers', () => {
    for (const id of [WELL_KNOWN_X, SHANGHAI_MAN, DONGCHENG, LEAP_DAY_2000]) {
      expect(isValidIdNumber(id)).toBe(true);
      expect(idNumberProblem(id)).toBeNull();
    }
  });

  it('accepts a lower-case x once normalized (staff often type x)', () => {
    const typed = '  11010519491231002x ';
    expect(normalizeIdNumber(typed)).toBe(WELL_KNOWN_X);
    expect(isValidIdNumber(normalizeIdNumber(typed))).toBe(true);
  });

  it('does not accept a lower-case x without normalizing (validation expects normalized input)', () => {
    expect(looksLikeIdNumber('11010519491231002x')).toBe(false);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
  });

  it('rejects a wrong check character, telling staff it is the check character', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(idNumberProblem('110105194912310021')).toBe('ID number check character is wrong');
    // one digit mistyped in the middle is caught too
    expect(isValidIdNumber('310104198001010117')).toBe(false);
    expect(idNumberProblem('310104198001010117')).toMatch(/check character/);
  });

  it('rejects February 30 even with a correct check character', () => {
    const feb30 = withCheckChar('11010519900230001');
    expect(looksLikeIdNumber(feb30)).toBe(true);
    expect(isValidIdNumber(feb30)).toBe(false);
    expect(idNumberProblem(feb30)).toBe('ID number holds an impossible birth date');
  });

  it('knows leap years: 2000-02-29 is fine, 1900-02-29 and 2023-02-29 are not', () => {
    expect(isValidIdNumber(LEAP_DAY_2000)).toBe(true);
    expect(isValidIdNumber(withCheckChar('11010519000229001'))).toBe(false);
    expect(isValidIdNumber(withCheckChar('11010520230229001'))).toBe(false);
  });

  it('rejects month 13, month 00, day 00, day 32 and years before 1880', () => {
    for (const first17 of ['11010519901301001', '11010519900001001', '11010519900100001', '11010519900132001', '11010518790101001']) {
      const id = withCheckChar(first17);
      expect(isValidIdNumber(id)).toBe(false);
      expect(idNumberProblem(id)).toMatch(/impossible birth date/);
    }
  });

  it('rejects an ID number Excel turned into 1.10105E+17 with a reason staff understand', () => {
    expect(isValidIdNumber('1.10105E+17')).toBe(false);
    const reason = idNumberProblem(normalizeIdNumber('1.10105e+17'));
    expect(reason).toMatch(/scientific notation/);
    expect(reason).toMatch(/Excel/);
    expect(reason).toMatch(/text/);
  });

  it('rejects numbers of the wrong length or with letters, explaining the expected shape', () => {
    for (const id of ['11010519491231002', '11010519491231002XX', '110105491231002', '1101051949123100A2', 'X10105194912310021', '']) {
      expect(isValidIdNumber(id)).toBe(false);
      expect(idNumberProblem(id)).toBe('ID number must be 17 digits followed by a digit or X');
    }
  });
});

describe('showing ID numbers outside the staff page', () => {
  it('shows only the first 4 and last 4 characters', () => {
    expect(maskIdNumber(WELL_KNOWN_X)).toBe('1101**********002X');
    expect(maskIdNumber(WELL_KNOWN_X)).toHaveLength(18);
    expect(maskIdNumber(WELL_KNOWN_X)).not.toContain('19491231');
  });

  it('hides short strings completely rather than revealing them', () => {
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('')).toBe('');
  });
});

describe('reading the birth date out of an ID number', () => {
  it('gives YYYY-MM-DD', () => {
    expect(birthDateOf(WELL_KNOWN_X)).toBe('1949-12-31');
    expect(birthDateOf(SHANGHAI_MAN)).toBe('1980-01-01');
    expect(birthDateOf(LEAP_DAY_2000)).toBe('2000-02-29');
  });
});
