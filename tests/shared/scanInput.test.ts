import { describe, expect, it } from 'vitest';
import { classifyScan } from '../../shared/scanInput';

const UID = '7K3M9QX2PA';
const SIG = 'ZZ00ABCDEFGHJKMN';
const CODE = `NQ1:${UID}:${SIG}`;

/** What a Chinese IME in full-width mode types for ASCII text. */
function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

describe('a volunteer scans a printed resident code', () => {
  it('reads the code', () => {
    expect(classifyScan(CODE)).toEqual({ kind: 'code', code: { uid: UID, signature: SIG } });
  });

  it('reads it with the Enter and spaces a keyboard-wedge scanner adds', () => {
    expect(classifyScan(` ${CODE}\r\n`)).toEqual({ kind: 'code', code: { uid: UID, signature: SIG } });
  });

  it('still reads a code typed through a Chinese IME in full-width characters', () => {
    const typed = fullWidth(CODE);
    expect(typed).not.toBe(CODE);
    expect(classifyScan(typed)).toEqual({ kind: 'code', code: { uid: UID, signature: SIG } });
  });

  it('still reads a code whose letters came out lower case (Caps Lock off)', () => {
    expect(classifyScan(CODE.toLowerCase())).toEqual({ kind: 'code', code: { uid: UID, signature: SIG } });
  });

  it('reads a code with only the colons full-width (the common IME slip)', () => {
    expect(classifyScan(CODE.replace(/:/g, '：'))).toEqual({ kind: 'code', code: { uid: UID, signature: SIG } });
  });

  it('tells a damaged or forged-looking code apart from random text', () => {
    expect(classifyScan(`NQ1:${UID}`)).toEqual({ kind: 'bad-code' });
    expect(classifyScan(`NQ1:${UID}:${SIG.slice(0, 10)}`)).toEqual({ kind: 'bad-code' });
    expect(classifyScan('NQ1:')).toEqual({ kind: 'bad-code' });
  });
});

describe('a resident without a code gives their ID card', () => {
  it('reads a valid ID number', () => {
    expect(classifyScan('11010519491231002X')).toEqual({ kind: 'id-number', idType: 'resident-id', idNumber: '11010519491231002X' });
  });

  it('reads a lower-case x and returns the number upper-cased', () => {
    expect(classifyScan('11010519491231002x')).toEqual({ kind: 'id-number', idType: 'resident-id', idNumber: '11010519491231002X' });
  });

  it('reads an ID number typed in full-width digits or with spaces between groups', () => {
    expect(classifyScan(fullWidth('310104198001010017'))).toEqual({
      kind: 'id-number',
      idType: 'resident-id',
      idNumber: '310104198001010017',
    });
    expect(classifyScan('310104 19800101 0017')).toEqual({ kind: 'id-number', idType: 'resident-id', idNumber: '310104198001010017' });
    expect(classifyScan('310104\u300019800101\u30000017')).toEqual({
      kind: 'id-number',
      idType: 'resident-id',
      idNumber: '310104198001010017',
    });
  });

  it('says "bad ID number" for a mistyped check character so the volunteer retypes it', () => {
    expect(classifyScan('110105194912310021')).toEqual({ kind: 'bad-id-number', idType: 'resident-id', fault: 'id-check' });
  });
});

describe('anything else is unreadable', () => {
  it('empty input, a URL, a phone number, a 15-digit old ID', () => {
    for (const raw of ['', '   ', 'https://example.com/?a=1', '13812345678', '110105491231002']) {
      expect(classifyScan(raw)).toEqual({ kind: 'unreadable' });
    }
  });
});

describe('a number typed with its ID type chosen', () => {
  it('reads it as that type, full-width and lower case folded', () => {
    expect(classifyScan('ｈ１２３４５６７８', 'hk-macau-permit')).toEqual({
      kind: 'id-number',
      idType: 'hk-macau-permit',
      idNumber: 'H12345678',
    });
    expect(classifyScan('e1234 5678', 'passport')).toEqual({ kind: 'id-number', idType: 'passport', idNumber: 'E12345678' });
  });

  it('says what is wrong for that type', () => {
    expect(classifyScan('H1234', 'hk-macau-permit')).toEqual({
      kind: 'bad-id-number',
      idType: 'hk-macau-permit',
      fault: 'hk-macau-permit-shape',
    });
  });

  it('still takes a resident code whatever the type', () => {
    expect(classifyScan(CODE, 'passport').kind).toBe('code');
  });
});
