// The page the kiosk shows while its server cannot be reached: where it is trying, when it tries
// again, and a form to point it elsewhere (or host the server on this laptop). Plain HTML, no server needed.
import type { KioskConfig } from '../shared/kioskShell';

export interface ConnectingState {
  target: string;
  config: KioskConfig;
  /** A config or start-up problem to show the operator, if any. */
  problem: string | null;
  /** What "host the server here" switches to. */
  hostConfig: Extract<KioskConfig, { mode: 'host' }>;
  /** The local CA an https server presents that is not pinned yet: the operator compares and trusts it. */
  offeredCa?: { fingerprint: string; subject: string } | null;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function connectingPage(state: ConnectingState): string {
  const remoteUrl = state.config.mode === 'remote' ? state.config.serverUrl : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'none'; base-uri 'none'">
<title>正在连接 · Connecting</title>
<style>
  body { font: 20px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f4f6f8; color: #1d2733; }
  main { max-width: 40rem; padding: 2rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
  .target { font-family: monospace; word-break: break-all; }
  .problem { background: #fdecea; color: #8a1c12; padding: .75rem 1rem; border-radius: .5rem; }
  form { margin-top: 2rem; display: grid; gap: .75rem; }
  input, button { font: inherit; padding: .5rem .75rem; }
  #error { color: #8a1c12; min-height: 1.5em; }
</style></head>
<body><main>
  <h1>正在连接服务器… <small>Connecting to the server…</small></h1>
  <p class="target" id="target">${escapeHtml(state.target)}</p>
  <p>服务器恢复后自动进入采样页面 · The kiosk page opens by itself as soon as the server answers.</p>
  ${state.problem ? `<p class="problem" role="alert">${escapeHtml(state.problem)}</p>` : ''}
  ${offeredCaBlock(state)}
  <form id="remote">
    <label>服务器地址 · Server address <input id="url" type="url" required placeholder="https://192.168.1.10:8443" value="${escapeHtml(remoteUrl)}"></label>
    <button type="submit">连接此服务器 · Use this server</button>
    <button type="button" id="host">本机作为服务器 · Host the server on this laptop</button>
    <p id="error" role="alert"></p>
  </form>
</main>
<script>
  const error = document.getElementById('error');
  async function save(config) {
    if (!window.natq) { error.textContent = 'kiosk shell not available'; return; }
    const result = await window.natq.setConfig(config);
    if (!result.ok) error.textContent = result.error;
  }
  document.getElementById('remote').addEventListener('submit', (e) => {
    e.preventDefault();
    save({ mode: 'remote', serverUrl: document.getElementById('url').value.trim() });
  });
  document.getElementById('host').addEventListener('click', () => save(${scriptJson(state.hostConfig)}));
  document.getElementById('trust')?.addEventListener('click', () => save(${scriptJson(trustedConfig(state))}));
</script>
</body></html>`;
}

/** The config that pins the offered CA for the configured server (trust on first use). */
function trustedConfig(state: ConnectingState): KioskConfig | null {
  if (state.config.mode !== 'remote' || !state.offeredCa) return null;
  return { mode: 'remote', serverUrl: state.config.serverUrl, caFingerprint: state.offeredCa.fingerprint };
}

function offeredCaBlock(state: ConnectingState): string {
  if (!trustedConfig(state)) return '';
  return `<section class="problem" id="offered-ca">
    <p>服务器的证书颁发机构尚未受信任 · The server's certificate authority is not trusted yet:<br>${escapeHtml(state.offeredCa!.subject)}</p>
    <p>SHA-256 <span class="target">${escapeHtml(state.offeredCa!.fingerprint)}</span></p>
    <p>请与工作人员页面“连接设备”中的指纹核对 · Compare it with the fingerprint on the staff page, "Connect devices".</p>
    <button type="button" id="trust">指纹一致，信任此服务器 · It matches: trust this server</button>
  </section>`;
}

/** JSON that cannot end the script element it sits in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Base64, so the URL Electron reports for the loaded page is exactly this one (see windowPolicy.ts). */
export function dataUrl(html: string): string {
  return `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
}
