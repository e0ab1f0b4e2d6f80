// A CSV roster read as it comes, a batch of rows at a time, whatever its size: from an upload saved
// on disk (a district's million people) or from bytes in memory (a lab's result file). What the
// bytes are (UTF-8, GB18030, UTF-16; whether any cell is quoted) is learnt while they pass, before
// the rows are read.
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { RosterFileError, type TableRow } from './rosterFileError';

const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const QUOTE = 0x22;

/** Rows handed on at a time: enough to keep the per-batch work cheap, few enough to hold little. */
export const CSV_BATCH = 4000;

export interface TextKind {
  encoding: 'utf-16le' | 'utf-8' | 'gb18030';
  /** Some cell is quoted: the rows need a real CSV parser (a quoted cell may hold separators and line breaks). */
  quoted: boolean;
}

/** Learns a text file's encoding and whether it quotes, chunk by chunk, as the file is received. */
export class TextSniffer {
  private head = Buffer.alloc(0);
  private utf8 = true;
  private quoted = false;
  /** The bytes of a UTF-8 character cut at the end of the last chunk. */
  private tail = Buffer.alloc(0);

  push(chunk: Buffer): void {
    if (this.head.length < 2) this.head = Buffer.concat([this.head, chunk.subarray(0, 2)]);
    // A quote byte is a quote in UTF-8 and in GB18030 (no multi-byte character holds 0x22); UTF-16 is always parsed.
    if (!this.quoted && chunk.includes(QUOTE)) this.quoted = true;
    if (!this.utf8) return;
    const bytes = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const cut = completeLength(bytes);
    if (!isUtf8(bytes.subarray(0, cut))) this.utf8 = false;
    this.tail = Buffer.from(bytes.subarray(cut));
  }

  result(): TextKind {
    if (this.head.equals(UTF16LE_BOM)) return { encoding: 'utf-16le', quoted: true };
    // A character cut off at the very end is not UTF-8 either (the file is GB18030, or damaged).
    return { encoding: this.utf8 && this.tail.length === 0 ? 'utf-8' : 'gb18030', quoted: this.quoted };
  }
}

/** The length of `bytes` without a UTF-8 character begun in its last three bytes but not finished. */
function completeLength(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
    const b = bytes[i];
    if (b < 0x80) return bytes.length;
    if (b >= 0xc0) {
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return i + size > bytes.length ? i : bytes.length;
    }
  }
  return bytes.length;
}

/** The text of the bytes, piece by piece; refuses binary data and web pages as soon as they show. */
async function* decode(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, kind: TextKind): AsyncGenerator<string> {
  const decoder = kind.encoding === 'gb18030' ? iconv.getDecoder('gb18030') : null;
  // TextDecoder drops a leading BOM (UTF-8 or UTF-16) by itself.
  const text = decoder ? null : new TextDecoder(kind.encoding);
  let started = false;
  const checked = (piece: string) => {
    // Control characters other than tab and line breaks never occur in a spreadsheet saved as text.
    if (/[\x00-\x08\x0e-\x1f]/.test(piece)) throw new RosterFileError('file.binary');
    if (!started && /\S/.test(piece)) {
      started = true;
      // Some systems export web pages or XML under an .xls name.
      if (/^\s*</.test(piece)) throw new RosterFileError('file.web-page');
    }
    return piece;
  };
  for await (const chunk of chunks) {
    const piece = decoder ? decoder.write(chunk) : text!.decode(chunk, { stream: true });
    if (piece) yield checked(piece);
  }
  const last = decoder ? (decoder.end() ?? '') : text!.decode();
  if (last) yield checked(last);
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

/** Trims cells and drops trailing empty ones (Excel often keeps formatted but blank columns); an empty row becomes []. */
export function cleanCells(cells: readonly string[]): string[] {
  const out = cells.map((c) => c.trim());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * The rows of a CSV file, in batches, each numbered as Excel shows it (one record is one row, even
 * when a quoted cell spans several lines; blank lines count). Cells are trimmed, trailing empty ones dropped.
 */
export async function* csvBatches(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, kind: TextKind): AsyncGenerator<TableRow[]> {
  const pieces = decode(chunks, kind)[Symbol.asyncIterator]();
  // The first non-blank line decides the separator.
  let head = '';
  for (let next = await pieces.next(); ; next = await pieces.next()) {
    if (!next.done) head += next.value;
    if (next.done || /\S[^\r\n]*[\r\n]/.test(head)) break;
  }
  if (!head) return;
  const delimiter = detectDelimiter(head);
  const text = (async function* () {
    yield head;
    for (let next = await pieces.next(); !next.done; next = await pieces.next()) yield next.value;
  })();
  yield* kind.quoted ? parsedRows(text, delimiter) : splitRows(text, delimiter);
}

/**
 * Without a quote character a CSV file is lines of separated cells (what Excel writes unless a cell
 * holds a separator, a quote or a line break): split as csv-parse would, five times faster.
 */
async function* splitRows(text: AsyncIterable<string>, delimiter: string): AsyncGenerator<TableRow[]> {
  let carry = '';
  let row = 0;
  let batch: TableRow[] = [];
  const lines = function* (complete: string) {
    for (const line of complete.split(/\r\n|\n|\r/)) yield { row: ++row, cells: cleanCells(line.split(delimiter)) };
  };
  for await (const piece of text) {
    const all = carry + piece;
    // A CR at the very end may be the first half of a CRLF: kept until the next piece.
    const end = all.endsWith('\r') ? all.length - 1 : all.length;
    const lastBreak = Math.max(all.lastIndexOf('\n', end - 1), all.lastIndexOf('\r', end - 1));
    if (lastBreak < 0) {
      carry = all;
      continue;
    }
    // Ends with the break: its last split part is the empty start of the next line, not a row.
    const complete = all.slice(0, all[lastBreak] === '\n' && all[lastBreak - 1] === '\r' ? lastBreak - 1 : lastBreak);
    carry = all.slice(lastBreak + 1);
    for (const r of lines(complete)) {
      batch.push(r);
      if (batch.length >= CSV_BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  // The line break that ends the last row starts no new one.
  const rest = carry.replace(/\r$/, '');
  if (rest) for (const r of lines(rest)) batch.push(r);
  if (batch.length) yield batch;
}

async function* parsedRows(text: AsyncIterable<string>, delimiter: string): AsyncGenerator<TableRow[]> {
  const parser = parse({
    delimiter,
    // Accept any line ending, even mixed in one file, as Excel does.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    // Blank lines are rows in Excel too; keeping them keeps the row numbers right.
    skip_empty_lines: false,
  });
  const source = Readable.from(text);
  source.once('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let row = 0;
  let batch: TableRow[] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      batch.push({ row: ++row, cells: cleanCells(record) });
      if (batch.length >= CSV_BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    if (err instanceof RosterFileError) throw err;
    throw new RosterFileError('file.csv-unreadable', { line: (err as { lines?: number }).lines ?? 0 });
  } finally {
    source.destroy();
  }
  if (batch.length) yield batch;
}
