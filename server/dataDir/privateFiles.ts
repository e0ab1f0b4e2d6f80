import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

// Files in the data folder hold secrets (the master secret, first-start PINs, the database):
// only the server's own user may read them, and none is ever left half written.

/** Creates the data folder, readable by its owner only (an existing folder is left as the operator set it). */
export function ensureDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * Writes a file readable by its owner only, atomically: a temporary file beside it is written and
 * fsynced, then renamed over it, and the folder is fsynced so the rename survives a power cut. A
 * failed write (disk full) leaves no file behind, never an empty or short one.
 */
export function writePrivateFile(file: string, content: string): void {
  ensureDataDir(path.dirname(file));
  try {
    writeFileAtomic.sync(file, content, { mode: 0o600, fsync: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const remedy =
      code === 'ENOSPC' || code === 'EDQUOT' ? `free some space in ${path.dirname(file)}` : "check that the server's user may write there";
    throw new Error(`${file} could not be written (${code}); nothing was left half written: ${remedy} and start again`, { cause: err });
  }
  // Windows cannot open a folder to fsync it; its renames are durable once the call returns.
  if (process.platform === 'win32') return;
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
