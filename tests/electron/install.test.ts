// `npm install && npm start` on a fresh machine that cannot download the Electron binary: nothing in the
// install may depend on that download, and the install says nothing alarming about this Node.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
let dir = '';
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('installing nat-queue', () => {
  it("never waits on electron's binary download", () => {
    // npm skips electron's download script (allowScripts); npm versions that run it tolerate its failure
    // because electron is optional, and the lockfile says so for `npm ci`.
    expect(pkg.allowScripts).toMatchObject({ electron: false });
    expect(Object.keys(pkg.optionalDependencies ?? {})).toContain('electron');
    expect(pkg.dependencies?.electron ?? pkg.devDependencies?.electron).toBeUndefined();
    expect(lock.packages['node_modules/electron']).toMatchObject({ optional: true });
  });

  it('installs from the lockfile on this Node.js without engine or install-script warnings', () => {
    // A clean folder with only the manifest and lockfile, as a fresh clone has; --dry-run --offline reads
    // the lockfile and reports what a real `npm ci` would warn about, without fetching or building anything.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-install-'));
    for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, file), path.join(dir, file));
    const run = spawnSync('npm', ['ci', '--dry-run', '--offline', '--no-audit', '--no-fund', '--loglevel=warn'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('EBADENGINE');
    expect(run.stderr).not.toContain('install-scripts');
  }, 120_000);
});
