// The kiosk shell: one fullscreen, locked-down window on the sampling point's kiosk page.
// Thin glue: config, reconnect and the connecting page are plain modules beside this one.
import path from 'node:path';
import { app, BrowserWindow, ipcMain, powerSaveBlocker } from 'electron';
import { SHELL_CHANNELS, type KioskConfigState } from '../shared/kioskShell';
import { connectingPage, dataUrl } from './connectingPage';
import { startHostedServer, type HostedServer } from './hostServer';
import { defaultConfig, loadKioskConfig, saveKioskConfig } from './kioskConfig';
import { backoffDelay, serverReachable } from './reconnect';

// Bundled to dist/electron/main.js; the pages are built to dist/renderer.
const APP_ROOT = app.getAppPath();
const PRELOAD = path.join(APP_ROOT, 'dist/electron/preload.cjs');

let hosted: HostedServer | null = null;
let state: KioskConfigState;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    fullscreen: true,
    kiosk: true,
    autoHideMenuBar: true,
    backgroundColor: '#f4f6f8',
    webPreferences: { preload: PRELOAD, contextIsolation: true, nodeIntegration: false, sandbox: true },
  });
  // A kiosk has no second window: links that would open one do nothing.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  return win;
}

/** Where the pages come from: this laptop's own server, or the configured one. */
async function serverUrl(): Promise<string> {
  const { config } = state;
  if (config.mode === 'remote') return config.serverUrl;
  hosted ??= await startHostedServer({ appRoot: APP_ROOT, config });
  return hosted.url;
}

let opening = false;
/** Loads the kiosk page, showing the connecting page and trying again with backoff while the server is unreachable. */
async function openKiosk(win: BrowserWindow): Promise<void> {
  if (opening) return;
  opening = true;
  try {
    await tryUntilLoaded(win);
  } finally {
    opening = false;
  }
}

async function tryUntilLoaded(win: BrowserWindow): Promise<void> {
  let target = state.config.mode === 'remote' ? state.config.serverUrl : `http://localhost:${state.config.port}`;
  let problem = state.problem;
  let shown = '';
  for (let attempt = 0; !win.isDestroyed(); attempt++) {
    try {
      target = await serverUrl();
      if (await serverReachable(target)) {
        await win.loadURL(`${target}/kiosk`);
        return;
      }
    } catch (err) {
      problem = `${(err as Error).message}`;
    }
    const hostConfig = state.config.mode === 'host' ? state.config : defaultConfig(app.getPath('userData'));
    const page = dataUrl(connectingPage({ target, config: state.config, problem, hostConfig }));
    // Loaded again only when it says something new, so the operator's typing is not wiped.
    if (page !== shown) await win.loadURL((shown = page));
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));
  }
}

function handleShellCalls(): void {
  ipcMain.handle(SHELL_CHANNELS.config, () => state);
  ipcMain.handle(SHELL_CHANNELS.setConfig, (_event, value: unknown) => {
    const result = saveKioskConfig(app.getPath('userData'), value);
    // Start over on the new config: a hosted server is stopped cleanly on quit.
    if (result.ok) setImmediate(() => {
      app.relaunch();
      app.quit();
    });
    return result;
  });
  ipcMain.handle(SHELL_CHANNELS.printSilently, (event) => new Promise<boolean>((resolve) => {
    event.sender.print({ silent: true, printBackground: true }, (success) => resolve(success));
  }));
}

app.whenReady().then(async () => {
  state = loadKioskConfig(app.getPath('userData'));
  handleShellCalls();
  powerSaveBlocker.start('prevent-display-sleep');
  const win = createWindow();
  // A page that loses its server (reload, crash) goes back through the connecting page.
  win.webContents.on('did-fail-load', (_e, _code, _desc, url, isMainFrame) => {
    if (isMainFrame && !url.startsWith('data:')) void openKiosk(win);
  });
  win.webContents.on('render-process-gone', () => void openKiosk(win));
  await openKiosk(win);
});

app.on('window-all-closed', () => app.quit());

let closing = false;
app.on('before-quit', (event) => {
  if (!hosted || closing) return;
  // Stop the hosted server (it closes its database) before the shell exits.
  event.preventDefault();
  closing = true;
  void hosted.close().finally(() => app.quit());
});
