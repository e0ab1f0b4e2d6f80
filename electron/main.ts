// The kiosk shell: one fullscreen, locked-down window on the sampling point's kiosk page.
// Thin glue: config, reconnect, the connecting page and the window's security policy are plain
// modules beside this one.
import path from 'node:path';
import { app, BrowserWindow, ipcMain, net, powerSaveBlocker, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { SHELL_CHANNELS, type KioskConfigState, type ShellCall } from '../shared/kioskShell';
import { verifyCertificate, type CertificateVerdict } from './certificatePolicy';
import { connectingPage, dataUrl } from './connectingPage';
import { startHostedServer, type HostedServer } from './hostServer';
import { defaultConfig, loadKioskConfig, saveKioskConfig } from './kioskConfig';
import { backoffDelay, serverReachable } from './reconnect';
import { WindowPolicy } from './windowPolicy';

// Bundled to dist/electron/main.js; the pages are built to dist/renderer.
const APP_ROOT = app.getAppPath();
const PRELOAD = path.join(APP_ROOT, 'dist/electron/preload.cjs');

let hosted: HostedServer | null = null;
let state: KioskConfigState;
let policy: WindowPolicy;
/** The last off-server address a page or redirect tried to take the window to, shown on the connecting page. */
let refusedOrigin: string | null = null;
/** The local CA the configured server presents while it is not pinned: the operator may trust it. */
let offeredCa: CertificateVerdict['offered'] | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    fullscreen: true,
    kiosk: true,
    autoHideMenuBar: true,
    backgroundColor: '#f4f6f8',
    webPreferences: { preload: PRELOAD, contextIsolation: true, nodeIntegration: false, sandbox: true, webviewTag: false },
  });
  return win;
}

/** Every page the shell shows stays on the configured server, in this one window. */
function lockDown(contents: WebContents): void {
  // A kiosk has no second window: links that would open one do nothing.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  const stayOnServer = (event: Electron.Event<{ url: string; isMainFrame: boolean }>) => {
    if (!event.isMainFrame || policy.allowsNavigation(event.url)) return;
    event.preventDefault();
    refusedOrigin = URL.canParse(event.url) ? new URL(event.url).origin : 'an invalid address';
    console.warn(`kiosk: kept the window on ${policy.serverOrigin}, refused ${refusedOrigin}`);
  };
  contents.on('will-navigate', stayOnServer);
  contents.on('will-redirect', stayOnServer);
}

/** The camera and the rest go to the configured server's pages only (Electron grants everything by default). */
function limitPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      policy.allowsPermission(permission, {
        requestingUrl: details.requestingUrl,
        mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
      }),
    );
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    policy.allowsPermission(permission, {
      requestingUrl: requestingOrigin,
      mediaTypes: details.mediaType ? [details.mediaType] : undefined,
    }),
  );
}

/** HTTPS to the configured server: its pinned local CA only (see certificatePolicy.ts). */
function pinServerCa(): void {
  session.defaultSession.setCertificateVerifyProc((request, callback) => {
    const chain: string[] = [];
    for (let cert: Electron.Certificate | undefined = request.certificate; cert && chain.length < 5; cert = cert.issuerCert) {
      chain.push(cert.data);
      if (cert.issuerCert?.fingerprint === cert.fingerprint) break; // a self-signed root is its own issuer
    }
    const result = verifyCertificate(state.config, { hostname: request.hostname, chain, chromiumResult: request.errorCode });
    if (result.offered) offeredCa = result.offered;
    callback(result.verdict);
  });
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
      // Electron's own fetch: the health check is verified like the pages (pinned CA).
      if (await serverReachable(target, 3000, net.fetch as typeof fetch)) {
        refusedOrigin = null;
        await win.loadURL(`${target}/kiosk`);
        return;
      }
    } catch (err) {
      problem = refusedOrigin
        ? `the server sent the kiosk to ${refusedOrigin}, which is not the configured server`
        : `${(err as Error).message}`;
    }
    const hostConfig = state.config.mode === 'host' ? state.config : defaultConfig(app.getPath('userData'));
    const page = dataUrl(connectingPage({ target, config: state.config, problem, hostConfig, offeredCa }));
    // Loaded again only when it says something new, so the operator's typing is not wiped.
    if (page !== shown) {
      policy.showingConnectingPage((shown = page));
      await win.loadURL(page);
    }
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));
  }
}

/** Answers a shell call only from the pages the policy allows it to (see windowPolicy.ts). */
function handle(call: ShellCall, handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
  ipcMain.handle(SHELL_CHANNELS[call], (event, ...args) => {
    const frame = event.senderFrame;
    if (!policy.allowsCall(call, frame && { url: frame.url, isMainFrame: frame.parent === null })) {
      throw new Error(`${call} is not available to this page`);
    }
    return handler(event, ...args);
  });
}

function handleShellCalls(): void {
  handle('config', () => state);
  handle('setConfig', (_event, value) => {
    const result = saveKioskConfig(app.getPath('userData'), value);
    // Start over on the new config: a hosted server is stopped cleanly on quit.
    if (result.ok)
      setImmediate(() => {
        app.relaunch();
        app.quit();
      });
    return result;
  });
  handle(
    'printSilently',
    (event) =>
      new Promise<boolean>((resolve) => {
        event.sender.print({ silent: true, printBackground: true }, (success) => resolve(success));
      }),
  );
}

app.whenReady().then(async () => {
  state = loadKioskConfig(app.getPath('userData'));
  policy = new WindowPolicy(state.config);
  limitPermissions();
  pinServerCa();
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

app.on('web-contents-created', (_event, contents) => lockDown(contents));
app.on('window-all-closed', () => app.quit());

let closing = false;
app.on('before-quit', (event) => {
  if (!hosted || closing) return;
  // Stop the hosted server (it closes its database) before the shell exits.
  event.preventDefault();
  closing = true;
  void hosted.close().finally(() => app.quit());
});
