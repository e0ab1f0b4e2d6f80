import { describe, it, expect } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readRosterFile, readSheets, RosterFileError } from '../../server/roster/readRosterFile';
import { MAX_CSV_ROWS, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_ROWS } from '../../shared/api';

const HEADERS = ['姓名', '身份证号', '手机号', '楼栋', '单元', '房号', '标签'];
const HEADER_LINE = HEADERS.join(',');
const ID = '11010519491231002X';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function failure(bytes: Buffer, filename?: string): Promise<RosterFileError> {
  const err = await readRosterFile(bytes, filename).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RosterFileError);
  return err as RosterFileError;
}

describe('a staff member uploads a CSV roster', () => {
  it('saved by Excel as "CSV UTF-8": the BOM does not stick to the first header', async () => {
    const table = await readRosterFile(utf8(`\uFEFF${HEADER_LINE}\r\n张三,${ID},13800138000,1栋,2,301,孕妇\r\n`), '花名册.csv');
    expect(table.headers).toEqual(HEADERS);
    expect(table.rows).toEqual([{ row: 2, cells: ['张三', ID, '13800138000', '1栋', '2', '301', '孕妇'] }]);
  });

  it('saved as UTF-8 without a BOM', async () => {
    const table = await readRosterFile(utf8(`${HEADER_LINE}\n张三,${ID},13800138000,1栋,2,301,\n李四,${ID},,1栋,2,302,老人\n`));
    expect(table.headers).toEqual(HEADERS);
    expect(table.rows.map((r) => [r.row, r.cells[0]])).toEqual([
      [2, '张三'],
      [3, '李四'],
    ]);
  });

  it.each(['gb18030', 'gbk'])('saved by Excel on Chinese Windows (%s)', async (encoding) => {
    const bytes = iconv.encode(`${HEADER_LINE}\r\n王小明,${ID},13800138000,3栋,1,502,独居老人\r\n`, encoding);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const table = await readRosterFile(bytes, 'roster.csv');
    expect(table.headers).toEqual(HEADERS);
    expect(table.rows[0].cells).toEqual(['王小明', ID, '13800138000', '3栋', '1', '502', '独居老人']);
  });

  it('keeps quoted cells with commas, quotes and line breaks whole, and numbers rows as Excel does', async () => {
    const csv = `${HEADER_LINE}\n"张,三",${ID},,1栋,2,301,"孕妇,""行动不便""\n需上门"\n李四,${ID},,1栋,2,302,\n`;
    const table = await readRosterFile(utf8(csv));
    expect(table.rows).toEqual([
      { row: 2, cells: ['张,三', ID, '', '1栋', '2', '301', '孕妇,"行动不便"\n需上门'] },
      // The line break inside the quoted cell does not start a new Excel row.
      { row: 3, cells: ['李四', ID, '', '1栋', '2', '302'] },
    ]);
  });

  it('skips blank lines but keeps the row numbers the staff member sees, and trims cells', async () => {
    const csv = `${HEADER_LINE}\r\n 张三 ,${ID},\u300013800138000\u3000,1栋,2,301\r\n\r\n,,,,\r\n李四,${ID},,1栋,2,302\r\n`;
    const table = await readRosterFile(utf8(csv));
    expect(table.rows).toEqual([
      { row: 2, cells: ['张三', ID, '13800138000', '1栋', '2', '301'] },
      { row: 5, cells: ['李四', ID, '', '1栋', '2', '302'] },
    ]);
  });

  it('accepts rows shorter or longer than the header', async () => {
    const table = await readRosterFile(utf8('姓名,楼栋,房号\n张三\n李四,1栋,301,多出来的\n'));
    expect(table.rows.map((r) => r.cells)).toEqual([['张三'], ['李四', '1栋', '301', '多出来的']]);
  });

  it('reads a header-only file as a roster with no people', async () => {
    const table = await readRosterFile(utf8(`${HEADER_LINE}\n`));
    expect(table).toEqual({ headers: HEADERS, rows: [] });
  });

  it('reads Excel\'s "Unicode Text" export (UTF-16 with tabs)', async () => {
    const text = `\uFEFF${HEADERS.join('\t')}\r\n张三\t${ID}\t13800138000\t1栋\t2\t301\t孕妇, 老人\r\n`;
    const table = await readRosterFile(Buffer.from(text, 'utf16le'), 'roster.txt');
    expect(table.headers).toEqual(HEADERS);
    expect(table.rows[0].cells).toEqual(['张三', ID, '13800138000', '1栋', '2', '301', '孕妇, 老人']);
  });

  it.each([
    ['semicolons', ';'],
    ['full-width commas typed by hand', '，'],
  ])('detects %s as the separator from the header line', async (_name, sep) => {
    const table = await readRosterFile(utf8(`姓名${sep}楼栋${sep}房号\n张三${sep}1栋${sep}301\n`));
    expect(table.headers).toEqual(['姓名', '楼栋', '房号']);
    expect(table.rows[0].cells).toEqual(['张三', '1栋', '301']);
  });

  it('reads a whole district of 100,000 people in one go', async () => {
    const line = `张三,${ID},13800138000,1栋,2,301,"孕妇,老人"\n`;
    const table = await readRosterFile(utf8(HEADER_LINE + '\n' + line.repeat(100_000)));
    expect(table.rows).toHaveLength(100_000);
    expect(table.rows[99_999]).toEqual({ row: 100_001, cells: ['张三', ID, '13800138000', '1栋', '2', '301', '孕妇,老人'] });
  });

  it('reads a file without any quote the same as one with a quoted cell (the quote-free file is split directly)', async () => {
    const pieces = ['张三', 'a', ' 3 ', '', ',', '\t', ';', '，', '\r', '\n', '\r\n', '\n\n', "'", '\\', '#'];
    let seed = 11;
    const pick = () => pieces[(seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % pieces.length];
    for (let i = 0; i < 2000; i++) {
      const separator = [',', '\t', ';', '，'][i % 4];
      const rest = `${separator}楼栋${separator}房号\n${Array.from({ length: i % 40 }, pick).join('')}`;
      // Quoting the first header cell changes nothing it holds, but sends the file through the full CSV parser.
      const [plain, parsed] = await Promise.all([readRosterFile(utf8(`姓名${rest}`)), readRosterFile(utf8(`"姓名"${rest}`))]);
      expect([rest, plain]).toEqual([rest, parsed]);
    }
  });
});

describe('a staff member uploads an Excel roster', () => {
  it('reads cells as the staff member sees them and keeps row numbers true', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('花名册');
      ws.addRow(HEADERS);
      // Phone typed as a number; tags in rich text (part of it bold).
      ws.addRow(['张三', ID, 13800138000, '1栋', 2, 301, { richText: [{ text: '孕妇' }, { text: '，老人', font: { bold: true } }] }]);
      ws.addRow([]);
      // An 18-digit ID typed into a numeric cell: the last digits are already gone.
      ws.addRow([
        { text: '李四', hyperlink: 'mailto:lisi@example.com' },
        110105194912310020,
        { formula: '13800000000+1', result: 13800000001 },
        '1栋',
        2,
        302,
        true,
      ]);
      ws.addRow(['王五', ID, '', '1栋', new Date(Date.UTC(2022, 3, 5)), 0.1 + 0.2, { formula: 'NA()', result: { error: '#N/A' } }]);
    });
    const table = await readRosterFile(bytes, '花名册.xlsx');
    expect(table.headers).toEqual(HEADERS);
    expect(table.rows).toEqual([
      { row: 2, cells: ['张三', ID, '13800138000', '1栋', '2', '301', '孕妇，老人'] },
      { row: 4, cells: ['李四', '1.1010519491231002E+17', '13800000001', '1栋', '2', '302', 'TRUE'] },
      { row: 5, cells: ['王五', ID, '', '1栋', '2022-04-05', '0.3', '#N/A'] },
    ]);
  });

  it('turns an ID that lost precision into the exponent form validation recognises', async () => {
    // Excel keeps 15 significant digits: this is what it stores for 110105194912310020.
    const bytes = await xlsx((wb) => wb.addWorksheet('s').addRows([['身份证号'], [110105194912310000]]));
    const { rows } = await readRosterFile(bytes);
    expect(rows[0].cells[0]).toBe('1.1010519491231E+17');
    expect(rows[0].cells[0]).toMatch(/^\d(\.\d+)?E\+\d+$/);
  });

  it('repeats a merged building cell on every row it spans', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('s');
      ws.addRows([
        ['姓名', '楼栋'],
        ['张三', '3栋'],
        ['李四', null],
      ]);
      ws.mergeCells('B2:B3');
    });
    const { rows } = await readRosterFile(bytes);
    expect(rows.map((r) => r.cells)).toEqual([
      ['张三', '3栋'],
      ['李四', '3栋'],
    ]);
  });

  it('reads the first worksheet and finds the header below blank rows', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('花名册');
      ws.getRow(3).values = ['姓名', '楼栋'];
      ws.getRow(4).values = ['张三', '1栋'];
      wb.addWorksheet('说明').addRow(['请勿修改表头']);
    });
    expect(await readRosterFile(bytes)).toEqual({ headers: ['姓名', '楼栋'], rows: [{ row: 4, cells: ['张三', '1栋'] }] });
  });

  it('recognises an .xlsx by its content even under a .csv name', async () => {
    const bytes = await xlsx((wb) => wb.addWorksheet('s').addRows([['姓名'], ['张三']]));
    expect((await readRosterFile(bytes, 'roster.csv')).rows).toEqual([{ row: 2, cells: ['张三'] }]);
  });
});

describe('every worksheet of a roster is read', () => {
  it('gives each sheet by name with its non-empty rows as Excel numbers them, title rows included', async () => {
    const bytes = await xlsx((wb) => {
      const title = wb.addWorksheet('1号楼');
      title.addRows([['幸福里社区全员核酸检测花名册'], ['姓名', '房号'], ['张三', 101]]);
      title.mergeCells('A1:B1');
      wb.addWorksheet('2号楼').addRows([['姓名', '房号'], [], ['李四', 102]]);
      wb.addWorksheet('空表');
    });
    expect(await readSheets(bytes, '花名册.xlsx')).toEqual([
      // A merged title repeats in every cell it spans.
      {
        name: '1号楼',
        rows: [
          { row: 1, cells: ['幸福里社区全员核酸检测花名册', '幸福里社区全员核酸检测花名册'] },
          { row: 2, cells: ['姓名', '房号'] },
          { row: 3, cells: ['张三', '101'] },
        ],
      },
      {
        name: '2号楼',
        rows: [
          { row: 1, cells: ['姓名', '房号'] },
          { row: 3, cells: ['李四', '102'] },
        ],
      },
      { name: '空表', rows: [] },
    ]);
  });

  it('reads a CSV file as one sheet named after the file', async () => {
    const sheets = await readSheets(utf8('标题\n\n姓名,房号\n张三,101\n'), 'C:\\名册\\3号楼.csv');
    expect(sheets).toEqual([
      {
        name: '3号楼',
        rows: [
          { row: 1, cells: ['标题'] },
          { row: 3, cells: ['姓名', '房号'] },
          { row: 4, cells: ['张三', '101'] },
        ],
      },
    ]);
  });
});

describe('a staff member uploads something that is not a readable roster', () => {
  it('an empty file', async () => {
    expect((await failure(Buffer.alloc(0))).reason).toBe('file.empty');
  });

  it('a file with only blank lines', async () => {
    expect((await failure(utf8('\r\n  \r\n,,\r\n'))).reason).toBe('file.no-text');
  });

  it('an empty worksheet', async () => {
    const bytes = await xlsx((wb) => wb.addWorksheet('s'));
    expect((await failure(bytes)).reason).toBe('file.first-sheet-empty');
  });

  it('a legacy .xls workbook: told to save as .xlsx or CSV', async () => {
    const bytes = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect((await failure(bytes, '花名册.xls')).reason).toBe('file.old-xls');
  });

  it('a password-protected .xlsx (stored like a legacy .xls): told to remove the password', async () => {
    const bytes = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(508)]);
    expect((await failure(bytes, '花名册.xlsx')).reason).toBe('file.password');
  });

  it('a corrupted zip that starts like an .xlsx', async () => {
    expect((await failure(Buffer.from('PK\x03\x04 this is not really a zip', 'latin1'))).reason).toBe('file.not-xlsx');
  });

  it('an .xlsx cut short by a broken download', async () => {
    const bytes = await xlsx((wb) => wb.addWorksheet('s').addRows([['姓名'], ['张三']]));
    expect((await failure(bytes.subarray(0, bytes.length / 2))).reason).toBe('file.not-xlsx');
  });

  it('a zip that holds no worksheet', async () => {
    const bytes = await xlsx(() => {});
    expect((await failure(bytes)).reason).toBe('file.not-xlsx');
  });

  it('random binary bytes: an error, not a crash or garbage headers', async () => {
    let seed = 42;
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 24));
    expect((await failure(bytes, 'photo.jpg')).reason).toBe('file.binary');
  });

  it('a web page saved under an .xls name', async () => {
    const html = '<html><body><table><tr><td>姓名</td></tr></table></body></html>';
    expect((await failure(utf8(html), 'export.xls')).reason).toBe('file.web-page');
  });

  it('an unclosed quote: the error names the line', async () => {
    expect(await failure(utf8(`${HEADER_LINE}\n"张三,${ID}\n`))).toMatchObject({ reason: 'file.csv-unreadable', params: { line: 2 } });
  });

  it('more than 100 columns', async () => {
    const header = Array.from({ length: 101 }, (_, i) => `列${i + 1}`).join(',');
    expect(await failure(utf8(`${header}\n张三\n`))).toMatchObject({
      reason: 'file.too-many-columns',
      params: { row: 1, columns: 101, max: 100 },
    });
  });

  it('more than 1,200,000 people in a CSV file (read batch by batch, never whole)', async () => {
    // One pass over 1.2 million rows; that such a file imports nothing is rosterStreaming.test.ts's.
    expect(await failure(utf8('姓名\n' + '张\n'.repeat(MAX_CSV_ROWS + 1)))).toMatchObject({
      reason: 'file.too-many-rows',
      params: { max: MAX_CSV_ROWS },
    });
  });

  it('a workbook over 20 MB: save it as CSV', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(MAX_WORKBOOK_BYTES)]);
    expect(await failure(zip, 'roster.xlsx')).toMatchObject({
      reason: 'file.workbook-too-large',
      params: { mb: 20, rows: MAX_WORKBOOK_ROWS, csvRows: MAX_CSV_ROWS },
    });
  });
});
