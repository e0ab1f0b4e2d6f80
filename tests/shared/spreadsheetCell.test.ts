import { describe, expect, it } from 'vitest';
import { csvCell, safeCell } from '../../shared/spreadsheetCell';

describe('spreadsheet cells', () => {
  it('keeps a cell that would start a formula as text', () => {
    for (const v of ['=1+2', '+86 139', '-5', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x")']) expect(safeCell(v)).toBe(`'${v}`);
  });

  it('guards the full-width formula starters a Chinese IME types (＝ ＋ － ＠)', () => {
    for (const v of ['＝SUM(A1:A9)', '＋86 139', '－5', '＠SUM(A1)']) expect(safeCell(v)).toBe(`'${v}`);
    expect(csvCell('＝HYPERLINK("http://x")')).toBe(`'＝HYPERLINK("http://x")`);
  });

  it('writes long numbers and leading zeros as text, and leaves short numbers as numbers', () => {
    expect(csvCell('110105198001010012')).toBe('\t110105198001010012');
    expect(csvCell('13912345678')).toBe('13912345678');
    expect(csvCell('0501')).toBe('\t0501');
    expect(csvCell('11010519800101001X')).toBe('11010519800101001X');
    expect(csvCell('10')).toBe('10');
  });

  it('leaves ordinary values alone', () => {
    for (const v of ['张三', '110105198001010012', '3-2-501', '', '1+1', 'a=b']) expect(safeCell(v)).toBe(v);
  });
});
