// The Electron binary `npm run kiosk` needs. `npm install` never downloads it (package.json's allowScripts
// skips electron's postinstall, and electron is an optional dependency for npm versions that run it), so
// the server installs on machines that cannot reach github.com; the kiosk fetches it on first start.
import fs from 'node:fs';
import path from 'node:path';

export type ElectronBinary =
  { state: 'ready'; executable: string } | { state: 'no-package' } | { state: 'no-binary'; packageDir: string; version: string };

/** Where the kiosk's Electron stands, found the way electron's own `index.js` finds its executable. */
export function findElectron(appRoot: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const packageDir = path.join(appRoot, 'node_modules', 'electron');
  let version: string;
  try {
    version = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return { state: 'no-package' };
  }
  let relative: string;
  try {
    relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8');
  } catch {
    return { state: 'no-binary', packageDir, version };
  }
  const executable = path.join(env.ELECTRON_OVERRIDE_DIST_PATH || path.join(packageDir, 'dist'), relative);
  return fs.existsSync(executable) ? { state: 'ready', executable } : { state: 'no-binary', packageDir, version };
}

/** What the operator can do when the kiosk cannot start for want of Electron. */
export function howToGetElectron(
  found: Exclude<ElectronBinary, { state: 'ready' }>,
  platform = `${process.platform}-${process.arch}`,
): string {
  if (found.state === 'no-package') {
    return [
      'The kiosk needs the `electron` package, which is not installed (it is optional: `npm start` runs without it).',
      'Install it without its download, then run `npm run kiosk` again to fetch the binary:',
      '  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install',
    ].join('\n');
  }
  return [
    `The Electron ${found.version} binary for ${platform} could not be downloaded (about 100 MB, from github.com).`,
    'Run `npm run kiosk` again on a network that reaches github.com, or through a mirror, e.g.:',
    '  ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm run kiosk',
    `Or copy node_modules/electron from a ${platform} machine where \`npm run kiosk\` works to ${found.packageDir}.`,
  ].join('\n');
}
