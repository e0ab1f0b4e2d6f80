// The files a server makes in its data folder: the master secret, the first-start PINs and the
// database. A start that fails half way (disk full) must leave nothing half written, a damaged
// secret must stop the next start instead of running with an empty key, and only the server's
// own user may read any of them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import { lockDataDir } from '../../server/dataDir/dataDirLock';
import { writePinFile } from '../../server/security/pins';
import { API } from '../../shared/api';
import { runCliUntilExit } from '../support/runCli';
import { PINS, startOnDataDir } from '../support/testServer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-files-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startOnDataDir(dataDir, env);
  // Closed at the end unless the test closed it itself.
  let open = true;
  const close = server.close.bind(server);
  server.close = async () => {
    open = false;
    await close();
  };
  cleanups.push(() => (open ? server.close() : undefined));
  return server;
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** Whether this machine lets the tests mount a tiny tmpfs (root on Linux): the real disk-full case. */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-mount-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  fs.rmdirSync(probe);
  return mounted;
}
const TMPFS = canMount();
if (!TMPFS && process.env.CI === 'true') throw new Error('the disk-full tests need to mount a tmpfs (root on Linux), and CI must run them');

/** A small disk (room for a fresh database): once `fill()`ed, every write to it fails with ENOSPC until `free()`. */
function tinyDisk(): { dir: string; fill(): void; free(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]);
  if (mounted.status !== 0) throw new Error(`mount failed: ${mounted.stderr}`);
  cleanups.push(() => {
    // Lazy: detached even if a failed test left a file open on it.
    spawnSync('umount', ['-l', dir]);
    fs.rmdirSync(dir);
  });
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      try {
        for (const block = Buffer.alloc(64 * 1024, 1); ;) fs.writeSync(fd, block);
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        fs.closeSync(fd);
      }
    },
    free: () => fs.rmSync(filler),
  };
}

function fullDisk(): { dir: string; free(): void } {
  const disk = tinyDisk();
  disk.fill();
  return disk;
}

describe('the master secret file', () => {
  it('stops the start when secret.key is empty (as a failed first start used to leave it), naming the file', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'secret.key');
    fs.writeFileSync(file, '', { mode: 0o600 });
    await expect(start(dataDir)).rejects.toThrow(`${file} is empty or damaged (0 bytes): restore it from your backup`);
    // Left as it was for the operator to restore, and nothing else was made.
    expect(fs.statSync(file).size).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'nat-queue.sqlite'))).toBe(false);
  });

  it('stops the start when secret.key is short or not a key at all, without printing what is in it', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'secret.key');
    for (const content of ['c2hvcnQtc2VjcmV0\n', 'not a key, just some text that is long enough to pass for 32 bytes\n']) {
      fs.writeFileSync(file, content, { mode: 0o600 });
      const err = await start(dataDir).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(`${file} is empty or damaged (${content.length} bytes)`);
      expect((err as Error).message).not.toContain(content.trim().slice(0, 8));
    }
  });

  it('stops the start when secret.key cannot be read', async () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'secret.key'));
    await expect(start(dataDir)).rejects.toThrow(`${path.join(dataDir, 'secret.key')} cannot be read (EISDIR)`);
  });

  it('keeps the same secret across restarts', async () => {
    const dataDir = tempDir();
    await (await start(dataDir)).close();
    const first = fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8');
    expect(Buffer.from(first.trim(), 'base64')).toHaveLength(32);
    await (await start(dataDir)).close();
    expect(fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8')).toBe(first);
  });

  it.runIf(TMPFS)('disk already full at the first start: refused naming the lock file, and nothing else is made', async () => {
    const disk = fullDisk();
    const dataDir = path.join(disk.dir, 'data');
    await expect(start(dataDir)).rejects.toThrow(
      `${path.join(dataDir, 'nat-queue.lock')} could not be locked (database or disk is full): free some space in ${dataDir} and start again`,
    );
    expect(fs.readdirSync(dataDir).filter((f) => f !== 'nat-queue.lock')).toEqual([]);
    disk.free();
    await start(dataDir);
  });

  it.runIf(TMPFS)(
    'disk full while writing the secret: no secret.key is left, and the start after space is freed makes a good one',
    async () => {
      const disk = tinyDisk();
      const dataDir = path.join(disk.dir, 'data');
      // An earlier start got as far as taking the data folder, then the disk filled up.
      lockDataDir(dataDir).release();
      disk.fill();
      await expect(start(dataDir)).rejects.toThrow(
        `${path.join(dataDir, 'secret.key')} could not be written (ENOSPC); nothing was left half written: free some space in ${dataDir}`,
      );
      // No empty secret, and no temporary file beside it either.
      expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('secret.key'))).toEqual([]);

      disk.free();
      const server = await start(dataDir);
      const secret = fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8');
      expect(Buffer.from(secret.trim(), 'base64')).toHaveLength(32);
      await server.close();
      await (await start(dataDir)).close();
      expect(fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8')).toBe(secret);
    },
  );
});

describe('the first-start PIN file', () => {
  it('is written whole and readable by its owner only', () => {
    const dataDir = tempDir();
    const file = writePinFile(dataDir, { kiosk: '123456', staff: '654321' });
    expect(fs.readFileSync(file, 'utf8')).toContain('kiosk: 123456\nstaff: 654321\n');
    expect(mode(file)).toBe(0o600);
  });

  it.runIf(TMPFS)('disk full: the write fails naming the file, and no empty or partial file is left', () => {
    const disk = fullDisk();
    expect(() => writePinFile(disk.dir, { kiosk: '123456' })).toThrow(
      `${path.join(disk.dir, 'access-pins.txt')} could not be written (ENOSPC)`,
    );
    expect(fs.readdirSync(disk.dir)).toEqual(['filler']);
  });

  it('`npm start` stops when the PINs it made cannot be written, and says how to set PINs of your own', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'access-pins.txt');
    // Something in the way of the file: its write fails after the PINs were made.
    fs.mkdirSync(file);
    const first = await runCliUntilExit({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`nat-queue could not start: ${file} could not be written (EISDIR)`);
    expect(first.stderr).toContain('with KIOSK_PIN, VOLUNTEER_PIN, STAFF_PIN set to PINs of your choice (4–8 digits)');
    // As told: PINs of one's own replace the lost ones.
    const server = await start(dataDir);
    const login = await fetch(server.url + API.login, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'staff', pin: PINS.staff }),
    });
    expect(login.status).toBe(200);
  }, 60_000);
});

describe('file modes', () => {
  it('creates the data folder for its owner only, and the secret and database files (with -wal and -shm) readable by their owner only', async () => {
    const dataDir = path.join(tempDir(), 'new-data-folder');
    const server = await start(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    for (const f of ['secret.key', 'nat-queue.sqlite', 'nat-queue.sqlite-wal', 'nat-queue.sqlite-shm']) {
      expect({ f, mode: mode(path.join(dataDir, f)).toString(8) }).toEqual({ f, mode: '600' });
    }
    await server.close();
  });

  it('makes a database file that others could read (from an older version) private at the next start', async () => {
    const dataDir = tempDir();
    await (await start(dataDir)).close();
    fs.chmodSync(path.join(dataDir, 'nat-queue.sqlite'), 0o644);
    await start(dataDir);
    expect(mode(path.join(dataDir, 'nat-queue.sqlite'))).toBe(0o600);
  });
});
