// `npm run bench -- --phones N`: residents' phones polling their groups' turn page answers
// (GET /api/turn/:group) against the node the scan load ran on (tests/bench/phoneClients.ts):
// 1. N phones paced as the page is (each waits as its last answer says), while a volunteer calls the
//    next group every CALL_EVERY_MS (each call changes the answer of every group waiting at that
//    point, so phones get new bodies, not only 304s): answers/s, latency, the 304 share, cores busy;
// 2. the CPU one answer costs the node, a 200 and a 304 apart (answers back to back, no calls), and
//    a 200 through Fastify's route for comparison;
// 3. from both, what 100,000 phones would cost one node, under the poll-rate model below.
import { fork } from 'node:child_process';
import path from 'node:path';
import { io } from 'socket.io-client';
import { POLL_MIN_S } from '../../shared/poll';
import { turnPollS } from '../../shared/turnView';
import type { ChildNode } from '../support/spawnNode';
import type { PhonesMode, PhonesReport } from './phoneClients';

/** A busy point: a group called every 5 s (a desk calls one every 1–2 min, so a point of many desks), from the phones' counted window on. */
const CALL_EVERY_MS = 5_000;
/** How long each kind of answer is asked back to back to measure its cost. */
const COST_SECONDS = 3;
/** The model's city: every phone follows a group in a line of this many groups (300 people at 10 a tube). */
export const MODEL_LINE = 30;
export const MODEL_PHONES = 100_000;

/** Answers a second per phone when phones are spread evenly over lines of `line` groups, each asking as turnPollS says. */
export function modelAnswersPerPhone(line: number): number {
  let sum = 0;
  for (let ahead = 0; ahead < line; ahead++) sum += 1 / turnPollS('waiting', ahead);
  return sum / line;
}

export interface PhonesResult {
  phones: number;
  /** Groups the phones follow (this run's line at the point). */
  groups: number;
  perSecond: number;
  p50: number;
  p99: number;
  notModified: number;
  errors: number;
  serverCores: number;
  clientCores: number;
  /** Server CPU seconds per answer, a 200 and a 304, and answers a second while measuring them. */
  cost200: number;
  cost304: number;
  rate200: number;
  rate304: number;
  /** The same for a 200 through Fastify's route (the front door skipped). */
  costRouted: number;
  rateRouted: number;
}

/** The groups at the node now (ids), read as the display is sent them. */
async function groupIds(url: string): Promise<number[]> {
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  const ids = await new Promise<number[]>((resolve, reject) => {
    socket.once('snapshot', (s: { groups: { id: number; state: string }[] }) =>
      resolve(s.groups.filter((g) => g.state !== 'sampled').map((g) => g.id)),
    );
    socket.once('connect_error', reject);
  });
  socket.close();
  return ids;
}

/** One run of the phones' process; the node's CPU seconds over it and its wall time (the phones' opening included). */
async function phonesRun(
  node: ChildNode,
  mode: PhonesMode,
  phones: number,
  seconds: number,
  ids: number[],
): Promise<PhonesReport & { serverSeconds: number; wall: number }> {
  const worker = fork(
    path.resolve(import.meta.dirname, 'phoneClients.ts'),
    [node.url, mode, String(phones), String(seconds), ids.join(',')],
    { execArgv: ['--import', 'tsx'] },
  );
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('exit', (code) => reject(new Error(`phones exited with ${code}`)));
  });
  const before = node.cpuSeconds();
  const t0 = performance.now();
  const done = new Promise<PhonesReport>((resolve) => worker.once('message', resolve as (m: unknown) => void));
  worker.send('go');
  const report = await done;
  return { ...report, serverSeconds: node.cpuSeconds() - before, wall: (performance.now() - t0) / 1000 };
}

export async function benchPhones(
  node: ChildNode,
  { phones, seconds, volunteerToken }: { phones: number; seconds: number; volunteerToken: string },
): Promise<PhonesResult> {
  const ids = await groupIds(node.url);
  if (ids.length === 0) throw new Error('no groups to follow: the scan load placed nobody');
  const volunteer = io(node.url, {
    auth: { token: volunteerToken, device: 'bench-volunteer' },
    transports: ['websocket'],
    reconnection: false,
  });
  await new Promise((resolve) => volunteer.once('snapshot', resolve));
  const call = () =>
    void volunteer
      .timeout(10_000)
      .emitWithAck('group:call-next', { key: `bench-call-${Date.now()}`, point: 'A' })
      .catch(() => {});
  let calls: ReturnType<typeof setInterval> | undefined;
  const firstCall = setTimeout(
    () => {
      call();
      calls = setInterval(call, CALL_EVERY_MS);
    },
    POLL_MIN_S * 1000 + 500,
  );
  if (seconds <= POLL_MIN_S)
    throw new Error(`--phones needs --seconds over ${POLL_MIN_S}: the phones open their pages over the first ${POLL_MIN_S} s`);
  const paced = await phonesRun(node, 'paced', phones, seconds, ids);
  clearTimeout(firstCall);
  clearInterval(calls);
  volunteer.close();
  const statuses = new Map(paced.statuses);
  const ok = statuses.get(200) ?? 0;
  const notModified = statuses.get(304) ?? 0;

  const costOf = async (mode: PhonesMode) => {
    const r = await phonesRun(node, mode, 0, COST_SECONDS, ids);
    return { cost: r.serverSeconds / Math.max(1, r.requests), rate: r.requests / r.elapsed };
  };
  const [c200, c304, routed] = [await costOf('burst200'), await costOf('burst304'), await costOf('routed200')];
  return {
    phones,
    groups: ids.length,
    perSecond: paced.requests / paced.elapsed,
    p50: paced.p50,
    p99: paced.p99,
    notModified: notModified / Math.max(1, paced.requests),
    errors: paced.errors + paced.requests - ok - notModified,
    serverCores: paced.serverSeconds / paced.wall,
    clientCores: paced.cpuSeconds / paced.wall,
    cost200: c200.cost,
    cost304: c304.cost,
    rate200: c200.rate,
    rate304: c304.rate,
    costRouted: routed.cost,
    rateRouted: routed.rate,
  };
}

export function phonesTable(r: PhonesResult): string {
  const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '—');
  const us = (s: number) => `${(s * 1e6).toFixed(0)} µs`;
  const mixed = r.notModified * r.cost304 + (1 - r.notModified) * r.cost200;
  const modelRate = MODEL_PHONES * modelAnswersPerPhone(MODEL_LINE);
  const pacedRate = (MODEL_PHONES * r.perSecond) / r.phones;
  return [
    '| phones | groups followed | answers/s | per phone per minute | p50 | p99 | 304 share | errors / other statuses | cores busy: server / phones |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${r.phones} | ${r.groups} | ${r.perSecond.toFixed(0)} | ${((60 * r.perSecond) / r.phones).toFixed(1)} | ${ms(r.p50)} | ${ms(r.p99)} | ${(100 * r.notModified).toFixed(0)} % | ${r.errors} | ${r.serverCores.toFixed(2)} / ${r.clientCores.toFixed(2)} |`,
    '',
    '| answer (32 asking back to back) | answers/s | server CPU per answer |',
    '|---|---|---|',
    `| 200 (body) | ${r.rate200.toFixed(0)} | ${us(r.cost200)} |`,
    `| 304 (tag matches) | ${r.rate304.toFixed(0)} | ${us(r.cost304)} |`,
    `| 200 through Fastify's route (a query string: no front door) | ${r.rateRouted.toFixed(0)} | ${us(r.costRouted)} |`,
    '',
    `${MODEL_PHONES.toLocaleString('en')} phones, cores of one node at ${us(mixed)} an answer (this run's 304 share) / at ${us(r.cost200)} (every answer a 200):`,
    `- model (each follows a group in a line of ${MODEL_LINE}, asking as turnPollS says): ${modelRate.toFixed(0)} answers/s = ${(modelRate * mixed).toFixed(2)} / ${(modelRate * r.cost200).toFixed(2)} cores`,
    `- as paced here (a line of ${r.groups} groups): ${pacedRate.toFixed(0)} answers/s = ${(pacedRate * mixed).toFixed(2)} / ${(pacedRate * r.cost200).toFixed(2)} cores`,
  ].join('\n');
}
