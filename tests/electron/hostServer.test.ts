import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostedServer, type HostedServer } from '../../electron/hostServer';

// "Host the server here": one laptop is the whole sampling point. The shell starts the real server
// as a child process, waits until it answers, and stops it cleanly on quit.

const appRoot = path.resolve(import.meta.dirname, '../..');
let hosted: HostedServer | null = null;
let dataDir = '';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterEach(async () => {
  await hosted?.close();
  hosted = null;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the hosted server', () => {
  it('starts the sampling point server on the configured port and data folder, and stops it', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-hosted-'));
    const port = await freePort();
    hosted = await startHostedServer({
      appRoot,
      config: { mode: 'host', port, dataDir },
      env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', KIOSK_PIN: '4321' },
    });
    const health = await fetch(`${hosted.url}/api/health`);
    expect(health.ok).toBe(true);
    expect(await health.json()).toMatchObject({ ok: true, dialect: 'sqlite' });
    const login = await fetch(`${hosted.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'kiosk', pin: '4321' }),
    });
    expect(login.ok).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'nat-queue.sqlite'))).toBe(true);

    await hosted.close();
    hosted = null;
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  }, 90_000);

  it('reports a server that cannot start instead of waiting forever', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-hosted-'));
    const port = await freePort();
    await expect(
      startHostedServer({
        appRoot,
        config: { mode: 'host', port, dataDir },
        env: { ...process.env, KIOSK_PIN: 'not-a-pin' },
      }),
    ).rejects.toThrow(/stopped while starting/);
  }, 90_000);
});
