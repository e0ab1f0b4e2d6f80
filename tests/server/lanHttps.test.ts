// HTTPS for the devices on the site's Wi-Fi: a local CA in the data folder, a server certificate for
// every address of the machine, plain HTTP kept for this laptop and LAN devices sent to HTTPS.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { io as connectSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createCa, fingerprint, issueServerCert } from '../../server/tls/localCa';
import { machineNames } from '../../server/tls/machineNames';
import { startHttpsListener } from '../../server/tls/httpsListener';
import { loadServerTls, tlsDir } from '../../server/tls/serverTls';
import { CA_CERT_PATH, TLS_INFO_PATH, type TlsInfo } from '../../shared/lanAccess';
import { API } from '../../shared/api';
import { POINTS_PATH } from '../../shared/pointsView';
import { PINS, startOnDataDir } from '../support/testServer';

const dirs: string[] = [];
const servers: RunningServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-tls-'));
  dirs.push(dir);
  return dir;
};

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startOnDataDir(dataDir, { HTTPS_PORT: '0', ...env });
  servers.push(server);
  return server;
}

/** The certificate the HTTPS port serves, checked against the given CA (or not checked, with null). */
function servedCert(port: number, ca: string | null, servername = 'localhost'): Promise<{ cert: X509Certificate; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: ca ?? undefined, rejectUnauthorized: false }, () => {
      const cert = new X509Certificate(socket.getPeerX509Certificate()!.raw);
      resolve({ cert, authorized: socket.authorized });
      socket.end();
    });
    socket.once('error', reject);
  });
}

/** A GET over HTTPS that trusts only this CA. */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .once('error', reject);
  });
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('the local certificate authority', () => {
  it('makes a CA and a server certificate covering every address and name of the machine, keys owner-only', async () => {
    const dataDir = tempDir();
    const server = await start(dataDir, { TLS_HOSTS: 'sampling.lan' });
    const dir = tlsDir(dataDir);
    const ca = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    expect(mode(path.join(dir, 'ca.key'))).toBe(0o600);
    expect(mode(path.join(dir, 'server.key'))).toBe(0o600);

    const { cert, authorized } = await servedCert(server.https!.port, ca, 'sampling.lan');
    expect(authorized).toBe(true);
    const names = machineNames(['sampling.lan']);
    for (const name of [...names.all, os.hostname(), `${os.hostname()}.local`, 'localhost', '127.0.0.1', 'sampling.lan']) {
      expect(cert.checkHost(name) ?? cert.checkIP(name), name).toBeDefined();
    }
    for (const lan of Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && !i.address.startsWith('fe80'))) {
      expect(cert.checkIP(lan!.address), lan!.address).toBeDefined();
    }
    // What iOS asks of a certificate it trusts: ≤ 825 days, serverAuth; a CA that may sign.
    expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(825 * 86_400_000);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(new X509Certificate(ca).ca).toBe(true);

    // The same routes on both ports, and the CA for devices to install.
    expect((await httpsGet(`https://localhost:${server.https!.port}${API.health}`, ca)).status).toBe(200);
    expect((await httpsGet(`https://localhost:${server.https!.port}${CA_CERT_PATH}`, ca)).body).toBe(ca);
    const info = (await (await fetch(`${server.url}${TLS_INFO_PATH}`)).json()) as TlsInfo;
    expect(info).toEqual({
      httpPort: server.port,
      httpsPort: server.https!.port,
      origins: expect.arrayContaining([`https://sampling.lan:${server.https!.port}`]),
      caFingerprint: fingerprint(ca),
    });
    expect(info.origins.some((o) => o.includes('localhost') || o.includes('127.0.0.1'))).toBe(false);
  });

  it('serves the same certificate after a restart, and a new one from the same CA when the addresses change', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const ca = fs.readFileSync(path.join(tlsDir(dataDir), 'ca.crt'), 'utf8');
    const before = (await servedCert(first.https!.port, ca)).cert.fingerprint256;
    await first.close();
    servers.splice(0);
    const second = await start(dataDir);
    expect((await servedCert(second.https!.port, ca)).cert.fingerprint256).toBe(before);
    await second.close();
    servers.splice(0);

    // The laptop joined another network: the stored certificate does not cover its new address.
    const config = loadConfig({ DATA_DIR: dataDir, HTTPS_PORT: '0' }).https!;
    const moved = { lan: ['10.9.8.7'], all: ['10.9.8.7', 'localhost', '127.0.0.1', '::1'] };
    const reissued = await loadServerTls(dataDir, config, moved);
    const cert = new X509Certificate(reissued.cert);
    expect(cert.checkIP('10.9.8.7')).toBe('10.9.8.7');
    expect(cert.fingerprint256).not.toBe(before);
    expect(cert.checkIssued(new X509Certificate(ca))).toBe(true);
    expect(reissued.ca!.cert).toBe(ca);
    // And it is kept from then on.
    expect((await loadServerTls(dataDir, config, moved)).cert).toBe(reissued.cert);
  });

  it('reissues the certificate of a running server when its addresses change', async () => {
    const dataDir = tempDir();
    const server = await start(dataDir);
    const ca = server.https!.tls.ca!.cert;
    let names = { lan: ['10.1.2.3'], all: ['10.1.2.3', 'localhost', '127.0.0.1', '::1'] };
    // The watch reads the machine's names every minute; here a second listener is given them.
    const moving = await startHttpsListener({
      app: server.http,
      io: server.io,
      dataDir,
      host: '127.0.0.1',
      logger: server.logger,
      config: loadConfig({ DATA_DIR: dataDir, HTTPS_PORT: '0' }).https!,
      names: () => names,
    });
    try {
      expect((await servedCert(moving.port, ca)).cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
      names = { lan: ['10.4.5.6'], all: ['10.4.5.6', 'localhost', '127.0.0.1', '::1'] };
      await moving.refresh();
      const cert = (await servedCert(moving.port, ca)).cert;
      expect(cert.checkIP('10.4.5.6')).toBe('10.4.5.6');
      expect(moving.origins()).toEqual([`https://10.4.5.6:${moving.port}`]);
      // The CA devices trust stays.
      expect(moving.tls.ca!.cert).toBe(ca);
    } finally {
      await moving.close();
    }
  });

  it("serves the operator's own certificate from TLS_CERT and TLS_KEY, with no local CA", async () => {
    const dataDir = tempDir();
    const ca = await createCa('elsewhere');
    const own = await issueServerCert(ca, ['natq.example.org', 'localhost']);
    const files = tempDir();
    fs.writeFileSync(path.join(files, 'site.crt'), own.cert);
    fs.writeFileSync(path.join(files, 'site.key'), own.key);
    const server = await start(dataDir, { TLS_CERT: path.join(files, 'site.crt'), TLS_KEY: path.join(files, 'site.key') });
    const { cert, authorized } = await servedCert(server.https!.port, ca.cert);
    expect(authorized).toBe(true);
    expect(cert.fingerprint256).toBe(new X509Certificate(own.cert).fingerprint256);
    expect(fs.existsSync(tlsDir(dataDir))).toBe(false);
    expect((await fetch(`${server.url}${CA_CERT_PATH}`)).status).toBe(404);

    expect(() => loadConfig({ TLS_CERT: 'a.crt' })).toThrow(/TLS_CERT and TLS_KEY go together/);
    fs.writeFileSync(path.join(files, 'site.key'), 'not a key');
    await expect(start(tempDir(), { TLS_CERT: path.join(files, 'site.crt'), TLS_KEY: path.join(files, 'site.key') })).rejects.toThrow(
      /are not a PEM certificate and its key/,
    );
  });

  it('refuses to start on a damaged CA, naming it, rather than making a new one every device would have to trust', async () => {
    const dataDir = tempDir();
    await (await start(dataDir)).close();
    servers.splice(0);
    fs.writeFileSync(path.join(tlsDir(dataDir), 'ca.key'), '');
    await expect(start(dataDir)).rejects.toThrow(/local CA in .*tls is damaged/);
  });

  it('HTTPS_PORT=off serves plain HTTP only', async () => {
    const dataDir = tempDir();
    const server = await start(dataDir, { HTTPS_PORT: 'off' });
    expect(server.https).toBeNull();
    expect(await (await fetch(`${server.url}${TLS_INFO_PATH}`)).json()).toEqual({
      httpPort: server.port,
      httpsPort: null,
      origins: [],
      caFingerprint: null,
    });
  });
});

describe('plain HTTP on the LAN', () => {
  it('sends a LAN device asking for a page to HTTPS, refuses its API calls, and serves this laptop over HTTP', async () => {
    const server = await start(tempDir());
    const port = server.https!.port;
    const lan = { remoteAddress: '192.168.1.23' };
    const page = await server.http.inject({ method: 'GET', url: '/home-visits?x=1', headers: { host: '192.168.1.10:8080' }, ...lan });
    expect(page.statusCode).toBe(308);
    expect(page.headers.location).toBe(`https://192.168.1.10:${port}/home-visits?x=1`);
    const v6 = await server.http.inject({ method: 'GET', url: '/display', headers: { host: '[fd00::10]:8080' }, ...lan });
    expect(v6.headers.location).toBe(`https://[fd00::10]:${port}/display`);

    const login = await server.http.inject({ method: 'POST', url: API.login, payload: { role: 'staff', pin: PINS.staff }, ...lan });
    expect(login.statusCode).toBe(403);
    expect(login.json().error).toMatchObject({
      reason: 'tls.https-only',
      params: { origin: expect.stringMatching(/^https:\/\/localhost/) },
    });
    // The CA is fetched before HTTPS is trusted.
    expect((await server.http.inject({ method: 'GET', url: CA_CERT_PATH, ...lan })).statusCode).toBe(200);

    // This laptop (the kiosk) keeps plain HTTP, pages, API and sockets.
    expect((await fetch(`${server.url}${API.health}`)).status).toBe(200);
    expect((await fetch(`${server.url}/kiosk`, { redirect: 'manual' })).status).not.toBe(308);
    const socket = connectSocket(server.url, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.close();
  });

  const lanAddress = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!lanAddress)('refuses a socket from the LAN on plain HTTP and takes it on HTTPS', async () => {
    const server = await start(tempDir(), { HOST: '0.0.0.0' });
    // The phones' polled pages are answered before Fastify's hooks run, but not to what those hooks refuse.
    const ca = server.https!.tls.ca!.cert;
    const get = (url: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        (url.startsWith('https') ? https : http)
          .get(url, { ca, agent: false }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .once('error', reject);
      });
    for (const attempt of [1, 2]) {
      const lanHttp = await get(`http://${lanAddress}:${server.port}${POINTS_PATH}`);
      expect(lanHttp.status, `attempt ${attempt}`).toBe(403);
      expect(JSON.parse(lanHttp.body).error.reason).toBe('tls.https-only');
      expect((await get(`https://${lanAddress}:${server.https!.port}${POINTS_PATH}`)).status).toBe(200);
    }
    const refused = connectSocket(`http://${lanAddress}:${server.port}`, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve) => refused.once('connect_error', () => resolve()));
    refused.close();
    const socket = connectSocket(`https://${lanAddress}:${server.https!.port}`, { transports: ['websocket'], reconnection: false, ca });
    await new Promise<void>((resolve, reject) => {
      socket.once('snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.close();
  });
});
