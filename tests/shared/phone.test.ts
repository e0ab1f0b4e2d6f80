import { describe, expect, it } from 'vitest';
import { isValidPhone, normalizePhone } from '../../shared/phone';

describe('phone numbers from spreadsheets and the kiosk', () => {
  it('a plain mobile number is kept as it is and is valid', () => {
    expect(normalizePhone('13812345678')).toBe('13812345678');
    expect(isValidPhone('13812345678')).toBe(true);
  });

  it('strips +86, 86 and the spaces people type', () => {
    expect(normalizePhone('+86 138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('+86-13812345678')).toBe('13812345678');
    expect(normalizePhone('8613812345678')).toBe('13812345678');
    expect(normalizePhone('  139 0000 1111  ')).toBe('13900001111');
  });

  it('keeps the dash of a landline and drops brackets around the area code', () => {
    expect(normalizePhone('010-62345678')).toBe('010-62345678');
    expect(normalizePhone('(021)64561234')).toBe('02164561234');
    expect(normalizePhone('（0755）8888 1234')).toBe('075588881234');
  });

  it('accepts landlines with a 3- or 4-digit area code, with or without a dash', () => {
    for (const p of ['010-62345678', '01062345678', '0755-88881234', '0571-8888123']) {
      expect(isValidPhone(p)).toBe(true);
    }
  });

  it('rejects numbers that are too short, too long, or not mobile/landline shaped', () => {
    for (const p of ['1381234567', '138123456789', '23812345678', '62345678', '010-123', 'abc', '']) {
      expect(isValidPhone(p)).toBe(false);
    }
  });

  it('reads a mobile written in groups (138-1234-5678) as the 11-digit number', () => {
    expect(normalizePhone('138-1234-5678')).toBe('13812345678');
    expect(isValidPhone(normalizePhone('+86 138-1234-5678'))).toBe(true);
    expect(normalizePhone('010-62345678')).toBe('010-62345678');
  });
});
