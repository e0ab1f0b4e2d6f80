import path from 'node:path';
import SQLite from 'better-sqlite3';
import { ensureDataDir } from './privateFiles';

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes DATA_DIR/nat-queue.lock for this process's life, so a second server on the same data
 * folder refuses to start instead of writing beside the first. The lock is an OS file lock (taken
 * through SQLite, which is already here and locks the same way on Linux, macOS and Windows): the
 * system drops it when the process ends, even on kill -9 or a power cut, so no stale lock ever
 * blocks the next start, and no timer has to keep it fresh while the event loop is busy.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, 'nat-queue.lock');
  let db: SQLite.Database | null = null;
  try {
    // timeout 0: refuse at once rather than wait for the other server to stop.
    db = new SQLite(file, { timeout: 0 });
    // No journal file beside it: the lock file holds no data.
    db.pragma('journal_mode = OFF');
    // An empty file cannot be locked for writing on a full disk: it gets its one page at the first start.
    if (db.pragma('page_count', { simple: true }) === 0) db.pragma('user_version = 1');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db?.close();
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY') {
      throw new Error(
        `another nat-queue server is already running on the data folder ${dataDir} (it holds ${file}): stop it first, or give this one another DATA_DIR`,
      );
    }
    const remedy =
      code === 'SQLITE_FULL'
        ? `free some space in ${dataDir}`
        : "check that the server's user may write in the data folder (the lock file holds no data: it may be deleted)";
    throw new Error(`${file} could not be locked (${(err as Error).message}): ${remedy} and start again`, { cause: err });
  }
  // Never committed: closing the connection (or the process ending) ends the transaction and its lock.
  return { file, release: () => db.close() };
}
