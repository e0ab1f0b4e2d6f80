import ExcelJS from 'exceljs';
import type { CellValue, Worksheet } from 'exceljs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { ReasonCode } from '../../shared/reasons';
import { HEADER_SEARCH_ROWS } from '../../shared/roster';
import { ActionError } from '../queue/actionError';

export interface RosterTable {
  headers: string[];
  rows: { row: number; cells: string[] }[];
}

/** A file that cannot be read as a table: a refusal with its reason (shared/reasons.ts `file.*`). */
export class RosterFileError<R extends ReasonCode = ReasonCode> extends ActionError<R> {
  override name = 'RosterFileError';
}

type TableRow = RosterTable['rows'][number];

/** People a file may hold. */
export const MAX_ROWS = 200_000;
const MAX_COLUMNS = 100;

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);

/** One worksheet (a CSV file is one, named after the file): its non-empty rows, numbered as Excel shows them. */
export interface Sheet {
  name: string;
  rows: TableRow[];
}

/**
 * Reads every worksheet of a roster spreadsheet: CSV (UTF-8 with or without BOM, GB18030/GBK, or
 * UTF-16 with a BOM) or XLSX. Throws RosterFileError with a clear message for anything else (empty
 * file, legacy .xls, unreadable zip, binary junk). Finding the header is the caller's: rosters put
 * titles above it.
 *
 * Every row keeps the number Excel shows for it, and rows with only empty cells are skipped.
 * Cells are trimmed and trailing empty cells dropped.
 */
export async function readSheets(bytes: Buffer, filename?: string): Promise<Sheet[]> {
  if (bytes.length === 0) throw new RosterFileError('file.empty');
  // The content decides the format, not the name: uploads are often renamed.
  if (startsWith(bytes, OLE_MAGIC)) throw new RosterFileError(/\.xlsx$/i.test(filename ?? '') ? 'file.password' : 'file.old-xls');
  const limit = new RowLimit();
  if (startsWith(bytes, ZIP_MAGIC)) {
    return (await worksheets(bytes)).map((sheet) => ({ name: sheet.name, rows: limit.keep(sheetRows(sheet)) }));
  }
  return [{ name: baseName(filename), rows: limit.keep(csvRows(decodeText(bytes))) }];
}

/**
 * Reads a spreadsheet whose first non-empty row is the header (a lab's result file): its first
 * worksheet only.
 */
export async function readRosterFile(bytes: Buffer, filename?: string): Promise<RosterTable> {
  const [first] = await readSheets(bytes, filename);
  return toTable(first.rows, startsWith(bytes, ZIP_MAGIC) ? 'file.first-sheet-empty' : 'file.no-text');
}

/** The file's name without folder and extension: a CSV file's only sheet is named after it, as Excel does. */
function baseName(filename = ''): string {
  return filename.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
}

function startsWith(bytes: Buffer, magic: Buffer): boolean {
  return bytes.subarray(0, magic.length).equals(magic);
}

/** The file's limits, over all its sheets: columns a row, and non-empty rows (people, plus a few title and header rows a sheet). */
class RowLimit {
  private count = 0;
  private sheets = 0;

  keep(rows: Iterable<TableRow>): TableRow[] {
    const kept: TableRow[] = [];
    this.sheets++;
    for (const r of rows) {
      if (r.cells.length === 0) continue;
      if (r.cells.length > MAX_COLUMNS) {
        throw new RosterFileError('file.too-many-columns', { row: r.row, columns: r.cells.length, max: MAX_COLUMNS });
      }
      if (++this.count > MAX_ROWS + this.sheets * HEADER_SEARCH_ROWS) throw tooManyRows();
      kept.push(r);
    }
    return kept;
  }
}

export const tooManyRows = () => new RosterFileError('file.too-many-rows', { max: MAX_ROWS });

/** Takes the header from the first row and keeps the rest. */
function toTable(rows: TableRow[], empty: 'file.first-sheet-empty' | 'file.no-text'): RosterTable {
  if (rows.length === 0) throw new RosterFileError(empty);
  if (rows.length - 1 > MAX_ROWS) throw tooManyRows();
  return { headers: rows[0].cells, rows: rows.slice(1) };
}

/** Trims cells and drops trailing empty ones (Excel often keeps formatted but blank columns); an empty row becomes []. */
function cleanCells(cells: readonly string[]): string[] {
  const out = cells.map((c) => c.trim());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

// ---- CSV ----

function decodeText(bytes: Buffer): string {
  let text: string;
  // Excel's "Unicode Text" export is UTF-16LE with a BOM (and tab-separated).
  if (startsWith(bytes, UTF16LE_BOM)) text = new TextDecoder('utf-16le').decode(bytes);
  else {
    try {
      // TextDecoder drops a leading UTF-8 BOM by itself.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not UTF-8: Excel and WPS on Chinese Windows save CSV in GBK, which GB18030 contains.
      text = iconv.decode(bytes, 'gb18030');
    }
  }
  // Control characters other than tab and line breaks never occur in a spreadsheet saved as text.
  if (/[\x00-\x08\x0e-\x1f]/.test(text)) {
    throw new RosterFileError('file.binary');
  }
  if (/^\s*</.test(text)) {
    // Some systems export web pages or XML under an .xls name.
    throw new RosterFileError('file.web-page');
  }
  return text;
}

// Candidates in order of preference when the header line holds equally many of several.
// Tab: Excel's "Unicode Text" export; semicolon: Excel with a European locale; full-width comma: typed by hand.
const DELIMITERS = [',', '\t', ';', '，'];

/** Picks the candidate found most often in the first non-blank line: header names hold no separators. */
function detectDelimiter(text: string): string {
  const headerLine = text.trimStart().split(/\r\n|\n|\r/, 1)[0];
  let best = DELIMITERS[0];
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = headerLine.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

function* csvRows(text: string): Generator<TableRow> {
  const records = csvRecords(text, detectDelimiter(text));
  // One record is one Excel row, even when a quoted cell spans several lines.
  for (let i = 0; i < records.length; i++) yield { row: i + 1, cells: cleanCells(records[i]) };
}

function csvRecords(text: string, delimiter: string): string[][] {
  // Without a quote character a CSV file is lines of separated cells (what Excel writes unless a cell
  // holds a separator, a quote or a line break): split as csv-parse would, five times faster.
  if (!text.includes('"')) {
    const lines = text.split(/\r\n|\n|\r/);
    // The line break that ends the last row starts no new one.
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((line) => line.split(delimiter));
  }
  try {
    return parse(text, {
      delimiter,
      // Accept any line ending, even mixed in one file, as Excel does.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      // Blank lines are rows in Excel too; keeping them keeps the row numbers right.
      skip_empty_lines: false,
    });
  } catch (err) {
    throw new RosterFileError('file.csv-unreadable', { line: (err as { lines?: number }).lines ?? 0 });
  }
}

// ---- XLSX ----


async function worksheets(bytes: Buffer): Promise<Worksheet[]> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type as an ArrayBuffer; at run time it reads Node buffers.
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new RosterFileError('file.not-xlsx');
  }
  // Excel always writes at least one worksheet; a zip without one is some other archive.
  if (wb.worksheets.length === 0) throw new RosterFileError('file.not-xlsx');
  return wb.worksheets;
}

function* sheetRows(sheet: Worksheet): Generator<TableRow> {
  for (let n = 1; n <= sheet.rowCount; n++) {
    // row.values is 1-based and sparse; holes are blank cells. Merged cells repeat the merged value.
    const values = sheet.findRow(n)?.values;
    if (Array.isArray(values)) yield { row: n, cells: cleanCells(Array.from(values.slice(1), cellText)) };
  }
}

/** The cell as text, the way the staff member sees it in Excel. */
function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result);
  // A hyperlink's text may itself be rich text.
  if ('hyperlink' in value) return cellText(value.text);
  // Guards against shapes newer than exceljs's types, which would otherwise crash trimming.
  return 'error' in value ? value.error : '';
}

function numberText(n: number): string {
  // An ID number typed into a numeric cell has lost its last digits (Excel keeps 15).
  // Plain digits would look like a real ID with a wrong check character, or even pass;
  // the exponent form (what Excel shows) lets validation report the true cause.
  if (Math.abs(n) > Number.MAX_SAFE_INTEGER) return n.toExponential().toUpperCase();
  // Integers (phone numbers, rooms) print exactly; fractions are cut to Excel's 15
  // significant digits to hide binary noise such as 0.30000000000000004.
  return String(Number.isInteger(n) ? n : Number(n.toPrecision(15)));
}
