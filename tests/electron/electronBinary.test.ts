// `npm run kiosk` on a machine where `npm install` did not (or could not) download Electron: it finds what
// is missing and says how to get it, instead of electron's bare "failed to install correctly".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectron, howToGetElectron } from '../../electron/electronBinary';

let appRoot: string;
let packageDir: string;
beforeEach(() => {
  appRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-electron-'));
  packageDir = path.join(appRoot, 'node_modules', 'electron');
});
afterEach(() => fs.rmSync(appRoot, { recursive: true, force: true }));

/** An electron package as npm leaves it, with or without the binary its postinstall downloads. */
function installPackage(opts: { binary: boolean }) {
  fs.mkdirSync(path.join(packageDir, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name: 'electron', version: '41.7.1' }));
  if (!opts.binary) return;
  fs.writeFileSync(path.join(packageDir, 'path.txt'), 'electron');
  fs.writeFileSync(path.join(packageDir, 'dist', 'electron'), '');
}

describe("the kiosk's Electron", () => {
  it('is missing altogether when npm skipped the optional package', () => {
    const found = findElectron(appRoot, {});
    expect(found).toEqual({ state: 'no-package' });
    expect(howToGetElectron(found as { state: 'no-package' })).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install');
  });

  it('has no binary after an install that skipped the download, and says where to get one', () => {
    installPackage({ binary: false });
    const found = findElectron(appRoot, {});
    expect(found).toEqual({ state: 'no-binary', packageDir, version: '41.7.1' });
    const advice = howToGetElectron(found as Extract<typeof found, { state: 'no-binary' }>, 'linux-x64');
    expect(advice).toContain('Electron 41.7.1 binary for linux-x64');
    expect(advice).toContain('ELECTRON_MIRROR=');
    expect(advice).toContain(packageDir);
  });

  it('is ready once the binary is unpacked where electron looks for it', () => {
    installPackage({ binary: true });
    expect(findElectron(appRoot, {})).toEqual({ state: 'ready', executable: path.join(packageDir, 'dist', 'electron') });
    // A path.txt whose executable is gone (an interrupted unpack) is no binary.
    fs.rmSync(path.join(packageDir, 'dist', 'electron'));
    expect(findElectron(appRoot, {})).toMatchObject({ state: 'no-binary' });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, as electron itself does', () => {
    installPackage({ binary: false });
    fs.writeFileSync(path.join(packageDir, 'path.txt'), 'electron');
    const elsewhere = path.join(appRoot, 'electron-dist');
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'electron'), '');
    expect(findElectron(appRoot, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere })).toEqual({
      state: 'ready',
      executable: path.join(elsewhere, 'electron'),
    });
  });
});
