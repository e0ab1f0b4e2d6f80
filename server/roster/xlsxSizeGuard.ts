// An XLSX file is a zip of XML parts; exceljs unpacks every part into memory before it reads a cell.
// A few megabytes of deflated text can unpack to gigabytes (a zip bomb), so the archive is measured
// with yauzl first: its central directory (entry count, declared sizes, ratios), then by inflating
// every entry with a byte cap, since a crafted directory may understate the sizes.
import { finished } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { RosterFileError } from './rosterFileError';

/** Unpacked bytes a workbook may hold: a 200,000-row roster unpacks to about 80 MB of XML. */
export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;
/** Parts a workbook may hold: Excel writes about 15 for one sheet. */
export const MAX_ENTRIES = 1000;
/** Unpacked / packed for one part above 1 MB: spreadsheet XML packs about 10:1; a bomb packs 1000:1. */
export const MAX_RATIO = 100;
const RATIO_FROM_BYTES = 1024 * 1024;

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

/**
 * Refuses a zip (XLSX) upload whose unpacked size is over the limits, before any parser reads it.
 * Anything that is not a zip passes unchanged: the roster reader decides what it is.
 */
export async function checkXlsxSize(bytes: Buffer): Promise<void> {
  if (!bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return;
  let zip: ZipFile;
  try {
    // validateEntrySizes: a stream that inflates past its declared size fails instead of running on.
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true });
  } catch {
    throw new RosterFileError('file.not-xlsx');
  }
  try {
    if (zip.entryCount > MAX_ENTRIES) throw new RosterFileError('file.too-many-parts', { parts: zip.entryCount, max: MAX_ENTRIES });
    const entries = await allEntries(zip);
    let declared = 0;
    for (const e of entries) {
      declared += e.uncompressedSize;
      if (declared > MAX_UNPACKED_BYTES) throw new RosterFileError('file.unpacks-too-large', { mb: MAX_UNPACKED_BYTES / (1024 * 1024) });
      if (e.uncompressedSize > RATIO_FROM_BYTES && e.uncompressedSize > MAX_RATIO * e.compressedSize) {
        throw new RosterFileError('file.part-ratio', {
          part: e.fileName.slice(0, 60),
          ratio: Math.round(e.uncompressedSize / Math.max(1, e.compressedSize)),
          max: MAX_RATIO,
        });
      }
    }
    // The declared sizes are within limits; inflating (with validateEntrySizes) checks that they are true.
    for (const e of entries) {
      if (e.fileName.endsWith('/')) continue;
      try {
        await finished((await zip.openReadStreamPromise(e)).resume());
      } catch {
        throw new RosterFileError('file.part-damaged', { part: e.fileName.slice(0, 60) });
      }
    }
  } catch (err) {
    if (err instanceof RosterFileError) throw err;
    throw new RosterFileError('file.not-xlsx');
  } finally {
    zip.close();
  }
}

function allEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}
