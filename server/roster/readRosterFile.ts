// A roster (or a lab's result file) read as sheets of rows. A CSV file is read as it comes, batch by
// batch, from the upload saved on disk: a district's million people never sit in memory. An XLSX
// workbook is unpacked and read whole (exceljs), so it has lower limits of its own.
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import type { CellValue, Worksheet } from 'exceljs';
import { MAX_CSV_ROWS, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_ROWS } from '../../shared/api';
import { HEADER_SEARCH_ROWS } from '../../shared/roster';
import { cleanCells, csvBatches, TextSniffer } from './csvStream';
import { RosterFileError, tooManyRows, workbookTooLarge, type TableRow } from './rosterFileError';
import type { SavedUpload } from './savedUpload';
import { checkXlsxSize } from './xlsxSizeGuard';

export { RosterFileError, tooManyRows, type TableRow } from './rosterFileError';

export interface RosterTable {
  headers: string[];
  rows: TableRow[];
}

const MAX_COLUMNS = 100;

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** One worksheet (a CSV file is one, named after the file): its non-empty rows, numbered as Excel shows them. */
export interface Sheet {
  name: string;
  rows: TableRow[];
}

/** A roster file's sheets, each its rows in batches; read as often as needed (checked, then imported). */
export interface RosterSource {
  /** People the file may hold: a workbook is read whole, a CSV file as it comes. */
  readonly maxRows: number;
  sheets(): AsyncGenerator<{ name: string; batches: AsyncIterable<TableRow[]> }>;
}

/**
 * Opens an uploaded roster saved on disk: a CSV file is read from there as often as asked; a workbook
 * (within its limits) is read into memory once. The content decides the format, not the name:
 * uploads are often renamed.
 */
export async function openRosterFile(upload: SavedUpload, filename?: string): Promise<RosterSource> {
  if (upload.bytes === 0) throw new RosterFileError('file.empty');
  refuseOle(upload.head, filename);
  if (startsWith(upload.head, ZIP_MAGIC)) {
    const bytes = await fs.readFile(upload.path);
    await checkXlsxSize(bytes);
    return inMemory(await workbookSheets(bytes), MAX_WORKBOOK_ROWS);
  }
  const name = baseName(filename);
  return {
    maxRows: MAX_CSV_ROWS,
    async *sheets() {
      const chunks = createReadStream(upload.path, { highWaterMark: 1024 * 1024 });
      try {
        yield { name, batches: new RowLimit(MAX_CSV_ROWS).sheet(csvBatches(chunks, upload.kind)) };
      } finally {
        chunks.destroy();
      }
    },
  };
}

/** Sheets already read, as a source. */
function inMemory(sheets: Sheet[], maxRows: number): RosterSource {
  return {
    maxRows,
    async *sheets() {
      for (const { name, rows } of sheets) {
        yield {
          name,
          batches: (async function* () {
            for (let i = 0; i < rows.length; i += 4000) yield rows.slice(i, i + 4000);
          })(),
        };
      }
    },
  };
}

/** A roster file in memory, as a source (the demo's community). */
export async function rosterFromBytes(bytes: Buffer, filename?: string): Promise<RosterSource> {
  return inMemory(await readSheets(bytes, filename), startsWith(bytes, ZIP_MAGIC) ? MAX_WORKBOOK_ROWS : MAX_CSV_ROWS);
}

/**
 * Reads every worksheet of a spreadsheet in memory: CSV (UTF-8 with or without BOM, GB18030/GBK, or
 * UTF-16 with a BOM) or XLSX. Throws RosterFileError with a clear message for anything else (empty
 * file, legacy .xls, unreadable zip, binary junk). Finding the header is the caller's: rosters put
 * titles above it.
 *
 * Every row keeps the number Excel shows for it, and rows with only empty cells are skipped.
 * Cells are trimmed and trailing empty cells dropped.
 */
export async function readSheets(bytes: Buffer, filename?: string): Promise<Sheet[]> {
  if (bytes.length === 0) throw new RosterFileError('file.empty');
  refuseOle(bytes, filename);
  if (startsWith(bytes, ZIP_MAGIC)) return workbookSheets(bytes);
  const sniffer = new TextSniffer();
  sniffer.push(bytes);
  const rows: TableRow[] = [];
  for await (const batch of new RowLimit(MAX_CSV_ROWS).sheet(csvBatches([bytes], sniffer.result()))) for (const r of batch) rows.push(r);
  return [{ name: baseName(filename), rows }];
}

/**
 * Reads a spreadsheet whose first non-empty row is the header (a lab's result file): its first
 * worksheet only.
 */
export async function readRosterFile(bytes: Buffer, filename?: string): Promise<RosterTable> {
  const [first] = await readSheets(bytes, filename);
  const workbook = startsWith(bytes, ZIP_MAGIC);
  return toTable(first.rows, workbook ? 'file.first-sheet-empty' : 'file.no-text', workbook ? MAX_WORKBOOK_ROWS : MAX_CSV_ROWS);
}

/** An OLE file is an old .xls, or an .xlsx with a password (Excel encrypts it into an OLE container). */
function refuseOle(head: Buffer, filename?: string): void {
  if (startsWith(head, OLE_MAGIC)) throw new RosterFileError(/\.xlsx$/i.test(filename ?? '') ? 'file.password' : 'file.old-xls');
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

  constructor(
    private readonly max: number,
    private readonly tooMany: () => RosterFileError = () => tooManyRows(max),
  ) {}

  keep(rows: Iterable<TableRow>): TableRow[] {
    const kept: TableRow[] = [];
    for (const r of rows) {
      if (r.cells.length === 0) continue;
      if (r.cells.length > MAX_COLUMNS) {
        throw new RosterFileError('file.too-many-columns', { row: r.row, columns: r.cells.length, max: MAX_COLUMNS });
      }
      if (++this.count > this.max + this.sheets * HEADER_SEARCH_ROWS) throw this.tooMany();
      kept.push(r);
    }
    return kept;
  }

  nextSheet(): void {
    this.sheets++;
  }

  /** One more sheet's rows, batch by batch, within the limits. */
  async *sheet(batches: AsyncIterable<TableRow[]>): AsyncGenerator<TableRow[]> {
    this.nextSheet();
    for await (const batch of batches) {
      const kept = this.keep(batch);
      if (kept.length) yield kept;
    }
  }
}

/** Takes the header from the first row and keeps the rest. */
function toTable(rows: TableRow[], empty: 'file.first-sheet-empty' | 'file.no-text', max: number): RosterTable {
  if (rows.length === 0) throw new RosterFileError(empty);
  if (rows.length - 1 > max) throw tooManyRows(max);
  return { headers: rows[0].cells, rows: rows.slice(1) };
}

// ---- XLSX ----

/** Every worksheet's rows, within the workbook's limits (bytes here; unpacked sizes in xlsxSizeGuard.ts). */
async function workbookSheets(bytes: Buffer): Promise<Sheet[]> {
  if (bytes.length > MAX_WORKBOOK_BYTES) throw workbookTooLarge();
  const limit = new RowLimit(MAX_WORKBOOK_ROWS, workbookTooLarge);
  return (await worksheets(bytes)).map((sheet) => {
    limit.nextSheet();
    return { name: sheet.name, rows: limit.keep(sheetRows(sheet)) };
  });
}

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
