import { describe, expect, it } from 'vitest';
import { csvText } from '../../server/exports/csvFile';

/** The one data line of a file with a header `h` and one row of this cell. */
const line = (cell: string) => csvText(['h'], [[cell]]).split('\r\n')[1];

describe('CSV files written for staff (csv-stringify, the formula guard as its cast)', () => {
  it('writes UTF-8 CSV with a BOM and CRLF line ends', () => {
    expect(csvText(['姓名', '电话'], [['张三', '-1']])).toBe("\uFEFF姓名,电话\r\n张三,'-1\r\n");
  });

  it('quotes fields with commas, quotes and line breaks, after the guard', () => {
    expect(line('a,b')).toBe('"a,b"');
    expect(line('say "hi"')).toBe('"say ""hi"""');
    expect(line('=1,2')).toBe(`"'=1,2"`);
    expect(line('＝HYPERLINK("http://x")')).toBe(`"'＝HYPERLINK(""http://x"")"`);
    expect(csvText(['h'], [['two\nlines']])).toBe('\uFEFFh\r\n"two\nlines"\r\n');
    expect(csvText(['h'], [['cr\rend']])).toBe('\uFEFFh\r\n"cr\rend"\r\n');
  });

  it('keeps long numbers as text and guards the header too', () => {
    expect(line('110105198001010012')).toBe('\t110105198001010012');
    expect(csvText(['=x'], []).split('\r\n')[0]).toBe("\uFEFF'=x");
  });
});
