// The kiosk shell's config, as an operator setting up a sampling point meets it.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectingPage } from '../../electron/connectingPage';
import { hostedServerEnv } from '../../electron/hostServer';
import { CONFIG_FILE, defaultConfig, loadKioskConfig, saveKioskConfig } from '../../electron/kioskConfig';
import { backoffDelay, serverReachable } from '../../electron/reconnect';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-kiosk-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kiosk config', () => {
  it('hosts the server on this laptop on first start', () => {
    expect(loadKioskConfig(dir)).toEqual({ config: { mode: 'host', port: 8080, dataDir: path.join(dir, 'data') }, problem: null });
  });

  it('saves a server address and reads it back, without a trailing slash', () => {
    expect(saveKioskConfig(dir, { mode: 'remote', serverUrl: 'http://192.168.1.10:8080/' })).toEqual({ ok: true });
    expect(loadKioskConfig(dir)).toEqual({ config: { mode: 'remote', serverUrl: 'http://192.168.1.10:8080' }, problem: null });
    expect(fs.readdirSync(dir)).toEqual([CONFIG_FILE]);
  });

  it('refuses a bad config with a clear reason and keeps the saved one', () => {
    saveKioskConfig(dir, { mode: 'host', port: 9000, dataDir: '/srv/natq' });
    const before = fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8');
    const notHttp = saveKioskConfig(dir, { mode: 'remote', serverUrl: 'ftp://example.org' });
    expect(notHttp).toEqual({ ok: false, error: expect.stringContaining('http://') });
    expect(saveKioskConfig(dir, { mode: 'host', port: 70000, dataDir: '/srv/natq' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('port'),
    });
    expect(saveKioskConfig(dir, { mode: 'cloud' })).toMatchObject({ ok: false });
    expect(saveKioskConfig(dir, { mode: 'host', port: 9000, dataDir: '/srv/natq', extra: 1 })).toMatchObject({ ok: false });
    expect(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8')).toBe(before);
  });

  it('falls back to hosting when the file is broken, says why, and leaves the file for the operator', () => {
    fs.writeFileSync(path.join(dir, CONFIG_FILE), '{"mode": "remote", ');
    const state = loadKioskConfig(dir);
    expect(state.config).toEqual(defaultConfig(dir));
    expect(state.problem).toContain('not valid JSON');
    fs.writeFileSync(path.join(dir, CONFIG_FILE), JSON.stringify({ mode: 'remote', serverUrl: 'not a url' }));
    expect(loadKioskConfig(dir).problem).toContain('serverUrl');
    expect(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8')).toContain('not a url');
  });

  it('reports a folder it cannot write to', () => {
    const blocked = path.join(dir, 'file-not-folder');
    fs.writeFileSync(blocked, '');
    expect(saveKioskConfig(blocked, { mode: 'remote', serverUrl: 'http://10.0.0.2:8080' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('could not be saved'),
    });
  });

  it('gives the hosted server its port and data folder, open to the LAN, on SQLite', () => {
    const env = hostedServerEnv(
      { mode: 'host', port: 9000, dataDir: '/srv/natq' },
      { KIOSK_PIN: '1234', DATABASE_URL: 'postgres://x', ELECTRON_RUN_AS_NODE: '1' },
    );
    expect(env).toMatchObject({ PORT: '9000', DATA_DIR: '/srv/natq', HOST: '0.0.0.0', KIOSK_PIN: '1234' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ELECTRON_RUN_AS_NODE).toBeUndefined();
  });
});

describe('reaching the server', () => {
  it('backs off 1, 2, 4, 8 s, then tries every 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it('knows a server that answers its health check from one that does not', async () => {
    const server = http.createServer((req, res) => {
      res.statusCode = req.url === '/api/health' ? 200 : 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await serverReachable(`http://127.0.0.1:${port}`)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await serverReachable(`http://127.0.0.1:${port}`, 500)).toBe(false);
  });

  it('shows where it is connecting, escaping what the operator typed', () => {
    const html = connectingPage({
      target: 'http://x/<script>alert(1)</script>',
      config: { mode: 'remote', serverUrl: 'http://x"><b>' },
      problem: 'kiosk-config.json is not valid JSON',
      hostConfig: defaultConfig(dir),
    });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('http://x/&lt;script&gt;');
    expect(html).toContain('value="http://x&quot;&gt;&lt;b&gt;"');
    expect(html).toContain('not valid JSON');
    expect(html).toContain(JSON.stringify(defaultConfig(dir)).replace(/</g, '\\u003c'));
  });
});
