// `npm run bench -- --phones N`: N residents' phones polling their groups' turn page answers
// (GET /api/turn/:group) against the node the scan load ran on, while a volunteer calls the next
// group every CALL_EVERY_MS (each call changes the answer of every group waiting at that point, so
// phones get new bodies, not only 304s). Prints requests/s, latency, the 304 share and server CPU.
import { fork } from 'node:child_process';
import path from 'node:path';
import { io } from 'socket.io-client';
import type { ChildNode } from '../support/spawnNode';

/** A busy desk: a group called every 10 s at the point (a real site calls one every 1–2 min per desk). */
const CALL_EVERY_MS = 10_000;

export interface PhonesResult {
  phones: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  notModified: number;
  errors: number;
  serverCores: number;
  clientCores: number;
}

/** The groups at the node now (ids), read as the display is sent them. */
async function groupIds(url: string): Promise<number[]> {
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  const ids = await new Promise<number[]>((resolve, reject) => {
    socket.once('snapshot', (s: { groups: { id: number; state: string }[] }) => resolve(s.groups.filter((g) => g.state !== 'sampled').map((g) => g.id)));
    socket.once('connect_error', reject);
  });
  socket.close();
  return ids;
}

export async function benchPhones(node: ChildNode, { phones, seconds, volunteerToken }: { phones: number; seconds: number; volunteerToken: string }): Promise<PhonesResult> {
  const ids = await groupIds(node.url);
  if (ids.length === 0) throw new Error('no groups to follow: the scan load placed nobody');
  const worker = fork(path.resolve(import.meta.dirname, 'phoneClients.ts'), [node.url, String(phones), String(seconds), ids.join(',')], { execArgv: ['--import', 'tsx'] });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('exit', (code) => reject(new Error(`phones exited with ${code}`)));
  });
  const volunteer = io(node.url, { auth: { token: volunteerToken, device: 'bench-volunteer' }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve) => volunteer.once('snapshot', resolve));
  const calls = setInterval(() => void volunteer.timeout(10_000).emitWithAck('group:call-next', { key: `bench-call-${Date.now()}`, point: 'A' }).catch(() => {}), CALL_EVERY_MS);
  const serverBefore = node.cpuSeconds();
  const t0 = performance.now();
  const done = new Promise<{ requests: number; errors: number; elapsed: number; p50: number; p99: number; statuses: [number, number][]; cpuSeconds: number }>((resolve) => worker.once('message', resolve as (m: unknown) => void));
  worker.send('go');
  const r = await done;
  const busy = (performance.now() - t0) / 1000;
  const serverCores = (node.cpuSeconds() - serverBefore) / busy;
  clearInterval(calls);
  volunteer.close();
  const statuses = new Map(r.statuses);
  return {
    phones, requests: r.requests, perSecond: r.requests / r.elapsed, p50: r.p50, p99: r.p99,
    notModified: (statuses.get(304) ?? 0) / Math.max(1, r.requests), errors: r.errors + r.requests - (statuses.get(200) ?? 0) - (statuses.get(304) ?? 0),
    serverCores, clientCores: r.cpuSeconds / r.elapsed,
  };
}

export function phonesTable(r: PhonesResult): string {
  const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '—');
  return [
    '| phones | requests/s | p50 | p99 | 304 share | errors / other statuses | cores busy: server / phones |',
    '|---|---|---|---|---|---|---|',
    `| ${r.phones} | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${(100 * r.notModified).toFixed(0)} % | ${r.errors} | ${r.serverCores.toFixed(2)} / ${r.clientCores.toFixed(2)} |`,
  ].join('\n');
}
