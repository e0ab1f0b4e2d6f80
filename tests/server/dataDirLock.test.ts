// One data folder, one server: a second server started on the same DATA_DIR (a second kiosk app,
// an operator's `npm start` beside the service) must refuse at once instead of writing beside the
// first. A server that died (kill -9, power cut) must not keep the folder from the next start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import { API } from '../../shared/api';
import { runCliUntilExit } from '../support/runCli';
import { spawnNode, type ChildNode } from '../support/spawnNode';
import { nodeEnv, PINS, startOnDataDir } from '../support/testServer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-lock-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, extra: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startOnDataDir(dataDir, extra);
  cleanups.push(() => server.close());
  return server;
}

async function startChild(dataDir: string): Promise<ChildNode> {
  const child = await spawnNode('tests/support/childServer.ts', nodeEnv(dataDir));
  cleanups.push(() => (child.child.exitCode === null && child.child.signalCode === null ? child.kill() : undefined));
  return child;
}

const refusal = (dataDir: string) =>
  `another nat-queue server is already running on the data folder ${dataDir} (it holds ${path.join(dataDir, 'nat-queue.lock')}): stop it first`;

async function staffLogin(url: string): Promise<number> {
  const res = await fetch(url + API.login, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'staff', pin: PINS.staff }),
  });
  return res.status;
}

describe('the data folder lock', () => {
  it('refuses a second server on the same data folder in the same process, and lets one start once the first closed', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await expect(start(dataDir)).rejects.toThrow(refusal(dataDir));
    // The first one is untouched by the refused start.
    expect(await staffLogin(first.url)).toBe(200);
    await first.close();
    cleanups.pop();
    const second = await start(dataDir);
    expect(await staffLogin(second.url)).toBe(200);
  });

  it('refuses a server in another process, and starts at once after that process was killed with kill -9', async () => {
    const dataDir = tempDir();
    const child = await startChild(dataDir);
    await expect(start(dataDir)).rejects.toThrow(refusal(dataDir));
    await child.kill();
    // No stale lock: the system let go of it with the process.
    const next = await start(dataDir);
    expect(await staffLogin(next.url)).toBe(200);
  }, 60_000);

  it('`npm start` on a folder in use exits with the message, and the first server keeps serving', async () => {
    const dataDir = tempDir();
    const first = await startChild(dataDir);
    const second = await runCliUntilExit(nodeEnv(dataDir));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`nat-queue could not start: ${refusal(dataDir)}`);
    expect(await staffLogin(first.url)).toBe(200);
  }, 60_000);

  it('a start that fails after taking the folder lets go of it', async () => {
    const dataDir = tempDir();
    await expect(start(dataDir, { KIOSK_PIN: 'not-a-pin' })).rejects.toThrow('the kiosk PIN must be 4–8 digits');
    const server = await start(dataDir);
    expect(await staffLogin(server.url)).toBe(200);
  });

  it('is not taken with DATABASE_URL: scale-out nodes share no data folder', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    // Would be refused at the lock if it took one; it fails later, at the unreachable database, instead.
    const scaleOut = start(dataDir, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', NATQ_SECRET: 'x'.repeat(32) });
    await expect(scaleOut).rejects.toThrow();
    await expect(scaleOut).rejects.not.toThrow(refusal(dataDir));
    expect(await staffLogin(first.url)).toBe(200);
  });
});
