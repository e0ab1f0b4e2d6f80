// `npm run kiosk`, first step: make sure the Electron binary is there, downloading it once if not
// (electron's own install script, which npm install skips), or say how to get it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findElectron, howToGetElectron } from './electronBinary';

const appRoot = path.resolve(import.meta.dirname, '..');

let found = findElectron(appRoot);
if (found.state === 'no-binary') {
  console.log(`Downloading the Electron ${found.version} binary (once)…`);
  // The operator asked for the kiosk: a skip meant for `npm install` does not apply here.
  const { ELECTRON_SKIP_BINARY_DOWNLOAD: _skip, ...env } = process.env;
  spawnSync(process.execPath, [path.join(found.packageDir, 'install.js')], { stdio: 'inherit', env });
  found = findElectron(appRoot);
}
if (found.state !== 'ready') {
  console.error(`\n${howToGetElectron(found)}`);
  process.exit(1);
}
