import { describe, expect, it } from 'vitest';
import { CODE_VERSION, formatResidentCode, parseResidentCode, SIGNATURE_LENGTH, toBase32, UID_LENGTH } from '../../shared/residentCode';

const UID = '7K3M9QX2PA';
const SIG = 'ZZ00ABCDEFGHJKMN';

describe('the text a printed resident QR code carries', () => {
  it('is NQ1:<uid>:<signature>', () => {
    expect(CODE_VERSION).toBe('NQ1');
    expect(formatResidentCode({ uid: UID, signature: SIG })).toBe(`NQ1:${UID}:${SIG}`);
  });

  it('fits QR alphanumeric mode: only upper-case letters, digits and colons', () => {
    const text = formatResidentCode({ uid: UID, signature: SIG });
    expect(text).toMatch(/^[0-9A-Z:]+$/);
    expect(text).toHaveLength(CODE_VERSION.length + 1 + UID_LENGTH + 1 + SIGNATURE_LENGTH);
  });

  it('reads back what was printed', () => {
    expect(parseResidentCode(formatResidentCode({ uid: UID, signature: SIG }))).toEqual({ uid: UID, signature: SIG });
  });

  it('refuses other versions, wrong lengths and missing parts', () => {
    for (const text of [
      `NQ2:${UID}:${SIG}`,
      `NQ1:${UID.slice(1)}:${SIG}`,
      `NQ1:${UID}:${SIG}0`,
      `NQ1:${UID}`,
      `NQ1:${UID}:${SIG}:`,
      `${UID}:${SIG}`,
      '',
    ]) {
      expect(parseResidentCode(text)).toBeNull();
    }
  });

  it('refuses letters Crockford base32 leaves out (I, L, O, U) and lower case', () => {
    expect(parseResidentCode(`NQ1:${UID.slice(0, 9)}I:${SIG}`)).toBeNull();
    expect(parseResidentCode(`NQ1:${UID.slice(0, 9)}L:${SIG}`)).toBeNull();
    expect(parseResidentCode(`NQ1:${UID}:${SIG.slice(0, 15)}O`)).toBeNull();
    expect(parseResidentCode(`NQ1:${UID}:${SIG.slice(0, 15)}U`)).toBeNull();
    expect(parseResidentCode(`NQ1:${UID.toLowerCase()}:${SIG}`)).toBeNull();
  });
});

describe('making uids and signatures from random bytes (Crockford base32)', () => {
  it('encodes a known value: "fooba" → CSQPYRK1', () => {
    expect(toBase32(new TextEncoder().encode('fooba'), 8)).toBe('CSQPYRK1');
  });

  it('all-zero bytes give zeros and all-one bytes give Z', () => {
    expect(toBase32(new Uint8Array(5), 8)).toBe('00000000');
    expect(toBase32(new Uint8Array(5).fill(0xff), 8)).toBe('ZZZZZZZZ');
  });

  it('takes 5 bits a character from the high end of each byte', () => {
    expect(toBase32(Uint8Array.of(0b00001_000), 1)).toBe('1');
    expect(toBase32(Uint8Array.of(0b11111_000), 1)).toBe('Z');
    expect(toBase32(Uint8Array.of(0x66), 1)).toBe('C'); // 01100 = 12
  });

  it('makes a uid of 10 characters from 7 bytes and ignores extra bytes', () => {
    const bytes = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    const uid = toBase32(bytes, UID_LENGTH);
    expect(uid).toHaveLength(UID_LENGTH);
    expect(toBase32(bytes.slice(0, 7), UID_LENGTH)).toBe(uid);
  });

  it('a code built from random bytes always parses', () => {
    for (let i = 0; i < 50; i++) {
      const uid = toBase32(crypto.getRandomValues(new Uint8Array(7)), UID_LENGTH);
      const signature = toBase32(crypto.getRandomValues(new Uint8Array(10)), SIGNATURE_LENGTH);
      expect(parseResidentCode(formatResidentCode({ uid, signature }))).toEqual({ uid, signature });
    }
  });

  it('throws when given too few bytes for the length asked', () => {
    expect(() => toBase32(new Uint8Array(6), UID_LENGTH)).toThrow(/need 7 bytes for 10 characters/);
    expect(() => toBase32(new Uint8Array(9), SIGNATURE_LENGTH)).toThrow(/need 10 bytes/);
  });
});
