// A roster upload streamed to a private file in the data folder as it arrives (never whole in
// memory), measured on the way: its size, its first bytes (the format), what its text is (csvStream
// TextSniffer) and its SHA-256, the fingerprint an import key is checked against.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { MAX_ROSTER_BYTES, MAX_WORKBOOK_BYTES } from '../../shared/api';
import { ActionError } from '../queue/actionError';
import { TextSniffer, type TextKind } from './csvStream';
import { workbookTooLarge } from './rosterFileError';

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

export interface SavedUpload {
  path: string;
  bytes: number;
  /** The first bytes: what format the file is. */
  head: Buffer;
  kind: TextKind;
  /** SHA-256 of the whole file, base64url. */
  digest: string;
}

/** Older uploads are left-overs of a crash (one being received is written to all the time). */
const STALE_MS = 60 * 60 * 1000;

/**
 * The uploads folder: personal data, readable by the server's user only. Left-overs of a crash are
 * removed at start; the files of another node sharing the folder, being written, are not.
 */
export function uploadsDir(dataDir: string): string {
  const dir = path.join(dataDir, 'uploads');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (Date.now() - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true });
  }
  return dir;
}

/**
 * Saves the request body in `dir`, refusing it as soon as it is over the limit of its kind (a workbook
 * 20 MB, any file 200 MB). `use` gets the saved file; the file is deleted once `use` is done, whatever happened.
 */
export async function withSavedUpload<T>(body: Readable, dir: string, use: (upload: SavedUpload) => Promise<T>): Promise<T> {
  const file = path.join(dir, `${randomUUID()}.upload`);
  const sniffer = new TextSniffer();
  const hash = createHash('sha256');
  let bytes = 0;
  let head = Buffer.alloc(0);
  const measure = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8 - head.length)]);
      if (bytes > MAX_ROSTER_BYTES) return done(new ActionError('request.too-large', { size: `${MAX_ROSTER_BYTES / (1024 * 1024)} MB` }));
      if (bytes > MAX_WORKBOOK_BYTES && head.subarray(0, 4).equals(ZIP_MAGIC)) return done(workbookTooLarge());
      hash.update(chunk);
      sniffer.push(chunk);
      done(null, chunk);
    },
  });
  try {
    await save(body, measure, file);
    return await use({ path: file, bytes, head, kind: sniffer.result(), digest: hash.digest('base64url') });
  } finally {
    await fs.promises.rm(file, { force: true });
  }
}

/**
 * Pipes the body through `measure` into the file. A refusal stops reading but does not destroy the
 * request: its answer must still go out (the connection is closed after it, see httpServer.ts).
 */
function save(body: Readable, measure: Transform, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { mode: 0o600 });
    const fail = (err: Error) => {
      body.unpipe(measure);
      measure.destroy();
      out.destroy();
      reject(err);
    };
    body.once('error', fail);
    body.once('aborted', () => fail(new Error('the upload was cut off')));
    measure.once('error', fail);
    out.once('error', fail);
    out.once('finish', resolve);
    body.pipe(measure).pipe(out);
  });
}
