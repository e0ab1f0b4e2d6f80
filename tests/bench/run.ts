// `npm run bench`: N kiosks scanning at a target rate and M displays listening, against server
// nodes in child processes (their own memory), then the same load against bare Socket.IO; and a
// 100,000-row roster import (its time, the server's peak RSS, and a kiosk's scan acks during it).
// Loopback, bounded in count and time; prints one table.
//   npm run bench -- --kiosks 50 --listeners 500 --rate 500 --seconds 20 [--rows 100000] [--pg] [--nodes 2] [--profile]
//   npm run bench -- --rows 1000000 --seconds 0: a district's roster import alone.
//   [--nodes N] (with --pg): N nodes on one PostgreSQL and one Redis stream; kiosks and listeners are
//   spread over them (client k on node k mod N), as a balancer would.
//   [--phones N]: then N residents' phones poll their turn pages for --seconds (tests/bench/phones.ts).
//   [--listener-nice 19]: the listeners stand for screens on other devices; sharing this machine, their
//   process runs at this CPU priority (0: the same as the server and the kiosks).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API, type HouseholdCodes } from '../../shared/api';
import { ROUNDS_API } from '../../shared/roundsApi';
import { cpuSeconds, spawnNode, type ChildNode } from '../support/spawnNode';
import { onCleanup, runBench, trackChild } from './cleanup';
import { resident } from './community';
import { benchPhones, phonesTable } from './phones';
import { trackPostgresCpu } from './postgresCpu';

const { values: opts } = parseArgs({
  options: {
    kiosks: { type: 'string', default: '50' },
    listeners: { type: 'string', default: '500' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    rows: { type: 'string', default: '100000' },
    /** Listeners whose arrival times are recorded (all of them receive every change). */
    sample: { type: 'string', default: '50' },
    'listener-nice': { type: 'string', default: '19' },
    pg: { type: 'boolean', default: false },
    nodes: { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
    phones: { type: 'string', default: '0' },
    /** Sampling points the kiosks are spread over (a round of that many is opened); 1: every kiosk at point A. */
    points: { type: 'string', default: '1' },
  },
});
const KIOSKS = Number(opts.kiosks);
const LISTENERS = Number(opts.listeners);
const RATE = Number(opts.rate);
const SECONDS = Math.min(120, Number(opts.seconds));
const ROWS = Number(opts.rows);
const SCANS = RATE * SECONDS;
const LISTENER_NICE = Number(opts['listener-nice']);
const NODES = Number(opts.nodes);
const POINTS = Number(opts.points);
if (!Number.isInteger(POINTS) || POINTS < 1 || POINTS > 26)
  throw new Error(`--points must be a whole number from 1 to 26, not ${opts.points}`);
/** The point kiosk k scans at: A, B, … in turn. */
const pointOf = (k: number) => String.fromCharCode(65 + (k % POINTS));
if (!Number.isInteger(NODES) || NODES < 1 || NODES > 8) throw new Error(`--nodes must be a whole number from 1 to 8, not ${opts.nodes}`);
if (NODES > 1 && !opts.pg) throw new Error('--nodes 2 or more needs --pg: nodes share PostgreSQL and Redis');
if (!Number.isInteger(LISTENER_NICE) || LISTENER_NICE < 0 || LISTENER_NICE > 19)
  throw new Error(`--listener-nice must be a whole number from 0 to 19, not ${opts['listener-nice']}`);
if (SCANS > ROWS) throw new Error(`--rate × --seconds (${SCANS}) must not exceed --rows (${ROWS}): each scan is a different resident`);

const PINS = { KIOSK_PIN: '1111', VOLUNTEER_PIN: '2222', STAFF_PIN: '3333' };
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = (n: number) => `${n.toFixed(0)} MiB`;
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '—');

/** People scanned at one kiosk while the big roster is imported, at this rate. */
const IMPORT_SCANS = 2000;
const IMPORT_SCAN_RATE = 20;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** One kiosk scanning `codes` at IMPORT_SCAN_RATE until stopped: its ack times, sorted. */
function scanWhile(url: string, token: string, codes: string[]): { stop: () => void; acks: Promise<number[]> } {
  let stopped = false;
  const acks = (async () => {
    const socket = io(url, { auth: { token, device: 'bench-import-kiosk' }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    const times: number[] = [];
    for (let i = 0; i < codes.length && !stopped; i++) {
      const t0 = now();
      await socket.timeout(60_000).emitWithAck('scan', { key: `bench-import-${i}-${Date.now()}`, point: 'A', input: codes[i] });
      times.push(now() - t0);
      await sleep(Math.max(0, 1000 / IMPORT_SCAN_RATE - (now() - t0)));
    }
    socket.close();
    return times.sort((a, b) => a - b);
  })();
  // Awaited after the import; a failure (the server gone) must not end the run before the import's own error.
  acks.catch(() => {});
  return { stop: () => void (stopped = true), acks };
}

/** POSTs a file and reads the JSON answer, however long the server takes (fetch gives up on a reply after 300 s). */
function postFile<T>(url: string, token: string, body: Buffer): Promise<T> {
  return new Promise((resolve, reject) => {
    // A connection of its own: a kept-alive one may be closed by the server (10 s idle) just as the upload starts.
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'text/csv', 'content-length': body.length, authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode === 200) resolve(JSON.parse(text) as T);
          else reject(new Error(`${url}: ${res.statusCode} ${text}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** NODES server nodes on one database (and, with --pg, one Redis stream), started one after the other: the first migrates. */
async function startNodes(): Promise<{ nodes: ChildNode[]; databaseUrl: string | null; cleanup: () => Promise<void> }> {
  const dataDirs: string[] = [];
  const env: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...PINS };
  let databaseUrl: string | null = null;
  if (opts.pg) {
    const { freshPostgresDatabase, freshRedisStream, REDIS_URL } = await import('../support/backends');
    const db = await freshPostgresDatabase();
    onCleanup(db.drop);
    const stream = freshRedisStream();
    onCleanup(stream.drop);
    databaseUrl = db.url;
    Object.assign(env, {
      DATABASE_URL: db.url,
      NATQ_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      REDIS_URL,
      REDIS_STREAM: stream.name,
    });
  }
  onCleanup(async () => {
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const profileDir = path.resolve('bench-profiles');
  const nodes: ChildNode[] = [];
  const stops: (() => Promise<void>)[] = [];
  for (let n = 0; n < NODES; n++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-bench-'));
    dataDirs.push(dataDir);
    const node = await spawnNode(
      'tests/support/childServer.ts',
      { ...env, DATA_DIR: dataDir },
      opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    trackChild(node.child);
    stops.push(onCleanup(node.stop));
    nodes.push(node);
  }
  return {
    nodes,
    databaseUrl,
    async cleanup() {
      for (const stop of stops) await stop();
      if (opts.profile) console.log(`CPU profile written to ${profileDir}`);
    },
  };
}

interface LoadResult {
  acked: number;
  refused: number;
  lost: number;
  seconds: number;
  ackP50: number;
  ackP99: number;
  displayP50: number;
  displayP99: number;
  displayReceived: number;
  displayExpected: number;
  maxRss: number;
  /** Cores busy during the load (1 = one core all the time): the server (all its nodes), and the load generator (kiosks + listeners). */
  serverCores: number;
  clientCores: number;
  /** CPU seconds each node spent during the load. */
  nodeCpu: number[];
  /** scan→display where kiosk and display are on different nodes (through Redis); NaN on one node. */
  crossP50: number;
  crossP99: number;
}

/** N kiosks scanning `codes` at RATE in total, M listeners in a child process, both spread over the nodes; the nodes' RSS sampled. */
async function load(nodes: ChildNode[], codes: string[], token: string | undefined): Promise<LoadResult> {
  const urls = nodes.map((n) => n.url);
  const listeners = fork(path.resolve(import.meta.dirname, 'listeners.ts'), [urls.join(','), String(LISTENERS), opts.sample!], {
    execArgv: ['--import', 'tsx'],
  });
  trackChild(listeners);
  os.setPriority(listeners.pid!, LISTENER_NICE);
  await new Promise((resolve, reject) => {
    listeners.once('message', resolve);
    listeners.once('exit', (code) => reject(new Error(`listeners exited with ${code}`)));
  });
  const kiosks: Socket[] = await Promise.all(
    Array.from(
      { length: KIOSKS },
      (_, k) =>
        new Promise<Socket>((resolve, reject) => {
          const s = io(urls[k % urls.length], {
            auth: token ? { token, device: `bench-${k}` } : {},
            transports: ['websocket'],
            reconnection: false,
          });
          s.once('snapshot', () => resolve(s));
          s.once('connect_error', reject);
        }),
    ),
  );

  /** Each placed member (group:position): when it was sent, and from which node's kiosk. */
  const sent = new Map<string, [number, number]>();
  const acks: number[] = [];
  let refused = 0;
  let lost = 0;
  let next = 0;
  let maxRss = 0;
  const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, ...nodes.map((n) => n.memory().rss))), 250);
  const cpu = () => {
    const own = process.cpuUsage();
    return { nodes: nodes.map((n) => n.cpuSeconds()), clients: (own.user + own.system) / 1e6 + cpuSeconds(listeners.pid!) };
  };
  const cpuBefore = cpu();
  const start = now();
  let lastAck = start;
  const pending: Promise<void>[] = [];
  const interval = (1000 * KIOSKS) / RATE;
  // Each kiosk scans every `interval` ms, the kiosks evenly staggered: RATE scans a second in total.
  await Promise.all(
    kiosks.map(async (socket, k) => {
      await sleep((interval * k) / KIOSKS);
      for (let due = now(); next < codes.length && due - start < SECONDS * 1000; due += interval) {
        await sleep(Math.max(0, due - now()));
        const input = codes[next++];
        const t0 = now();
        pending.push(
          socket
            .timeout(10_000)
            .emitWithAck('scan', { key: `bench-${k}-${next}-${Date.now()}`, point: pointOf(k), input })
            .then(
              (reply: { ok: boolean; value?: { kind: string; group?: { id: number; position: number } } }) => {
                lastAck = now();
                acks.push(lastAck - t0);
                if (reply.ok && reply.value?.group)
                  sent.set(`${reply.value.group.id}:${reply.value.group.position}`, [t0, k % urls.length]);
                else refused += 1;
              },
              () => void (lost += 1),
            ),
        );
      }
    }),
  );
  await Promise.all(pending);
  clearInterval(rssTimer);
  const cpuAfter = cpu();
  const busy = (now() - start) / 1000;
  await sleep(1000); // the last changes reach the displays
  for (const s of kiosks) s.close();
  const display = await new Promise<{ p50: number; p99: number; crossP50: number; crossP99: number; received: number; expected: number }>(
    (resolve) => {
      listeners.once('message', resolve as (m: unknown) => void);
      listeners.send({ sent: [...sent] });
    },
  );
  acks.sort((a, b) => a - b);
  const at = (q: number) => acks[Math.min(acks.length - 1, Math.floor(q * acks.length))] ?? NaN;
  const nodeCpu = cpuAfter.nodes.map((c, n) => c - cpuBefore.nodes[n]);
  return {
    acked: acks.length,
    refused,
    lost,
    seconds: (lastAck - start) / 1000,
    ackP50: at(0.5),
    ackP99: at(0.99),
    displayP50: display.p50,
    displayP99: display.p99,
    displayReceived: display.received,
    displayExpected: display.expected,
    maxRss,
    serverCores: nodeCpu.reduce((a, b) => a + b, 0) / busy,
    clientCores: (cpuAfter.clients - cpuBefore.clients) / busy,
    nodeCpu,
    crossP50: display.crossP50,
    crossP99: display.crossP99,
  };
}

async function main() {
  const backend = opts.pg ? `PostgreSQL + Redis, ${NODES} node${NODES > 1 ? 's' : ''}` : 'SQLite (synchronous=FULL)';
  console.log(
    `nat-queue bench: ${KIOSKS} kiosks at ${POINTS} point${POINTS > 1 ? 's' : ''}, ${LISTENERS} listeners (nice ${LISTENER_NICE}), ${RATE} scans/s for ${SECONDS} s, ${ROWS} roster rows, ${backend}`,
  );
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}, ${new Date().toISOString()}\n`,
  );

  // ---- nat-queue: roster import (on the first node), then the scan load on that roster.
  const { nodes, databaseUrl, cleanup } = await startNodes();
  const [first] = nodes;
  const login = async (role: string, pin: string) =>
    (
      await json<{ token: string }>(
        await fetch(first.url + API.login, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role, pin }),
        }),
      )
    ).token;
  const staff = await login('staff', PINS.STAFF_PIN);
  const importRoster = (csv: Buffer, filename: string) =>
    postFile<{ added: number; rejected: unknown[] }>(`${first.url}${API.rosterImport}?filename=${filename}`, staff, csv);
  // A kiosk scans the people of a small roster (building 51, imported first) all through the big import.
  const early = Array.from({ length: IMPORT_SCANS }, (_, i) => resident(ROWS + i, ROWS));
  await importRoster(Buffer.from(rosterCsv(early)), 'early.csv');
  const earlyCodes = (
    await json<HouseholdCodes[]>(
      await fetch(`${first.url}${API.householdCodes}?building=${early[0].building}`, { headers: { authorization: `Bearer ${staff}` } }),
    )
  ).flatMap((h) => h.members.map((m) => m.code));
  const kioskToken = await login('kiosk', PINS.KIOSK_PIN);
  const csv = Buffer.from(rosterCsv(Array.from({ length: ROWS }, (_, i) => resident(i, ROWS))));
  const rssBeforeImport = first.memory().rss;
  const t0 = now();
  const scansDuring = scanWhile(first.url, kioskToken, earlyCodes);
  const report = await importRoster(csv, 'bench.csv').finally(() => scansDuring.stop());
  const importSeconds = (now() - t0) / 1000;
  const importPeak = first.memory().peak;
  const during = await scansDuring.acks;
  if (report.added !== ROWS) throw new Error(`import added ${report.added} of ${ROWS} rows (${report.rejected.length} rejected)`);
  const importLine =
    `roster import: ${ROWS} rows (${MiB(csv.length / 2 ** 20)} of CSV) in ${importSeconds.toFixed(1)} s; server RSS ${MiB(rssBeforeImport)} before, peak ${MiB(importPeak)} during; ` +
    `${during.length} kiosk scans during it (${IMPORT_SCAN_RATE}/s): ack p50 ${ms(quantile(during, 0.5))}, p99 ${ms(quantile(during, 0.99))}, max ${ms(quantile(during, 1))}`;
  if (SCANS === 0) {
    console.log(importLine);
    return;
  }

  const codes: string[] = [];
  for (let b = 1; b <= 50 && codes.length < SCANS; b++) {
    const households = await json<HouseholdCodes[]>(
      await fetch(`${first.url}${API.householdCodes}?building=${b}`, { headers: { authorization: `Bearer ${staff}` } }),
    );
    for (const h of households) for (const m of h.members) codes.push(m.code);
  }
  if (POINTS > 1) {
    const points = Array.from({ length: POINTS }, (_, k) => ({ code: pointOf(k), name: `Point ${pointOf(k)}`, poolSize: 10 }));
    await json(
      await fetch(first.url + ROUNDS_API.rounds, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
        body: JSON.stringify({ key: `bench-round-${Date.now()}`, name: 'bench', date: new Date().toISOString().slice(0, 10), points }),
      }),
    );
  }
  const pgCpu = databaseUrl ? await trackPostgresCpu(databaseUrl) : null;
  const ours = await load(nodes, codes.slice(0, SCANS), await login('kiosk', PINS.KIOSK_PIN));
  const pgSeconds = pgCpu ? await pgCpu.stop() : NaN;
  const phones =
    Number(opts.phones) > 0
      ? await benchPhones(nodes[0], {
          phones: Number(opts.phones),
          seconds: SECONDS,
          volunteerToken: await login('volunteer', PINS.VOLUNTEER_PIN),
        })
      : null;
  const peakRss = Math.max(...nodes.map((n) => n.memory().peak));
  await cleanup();

  // ---- bare Socket.IO: the same clients and rate, on one process.
  const bare = await spawnNode('tests/bench/bareServer.ts', {});
  trackChild(bare.child);
  const baseline = await load(
    [bare],
    Array.from({ length: SCANS }, (_, i) => `scan-${i}`),
    undefined,
  );
  await bare.stop();

  const row = (label: string, r: LoadResult) =>
    `| ${label} | ${(r.acked / r.seconds).toFixed(0)} | ${ms(r.ackP50)} | ${ms(r.ackP99)} | ${ms(r.displayP50)} | ${ms(r.displayP99)} | ${MiB(r.maxRss)} | ${r.serverCores.toFixed(2)} / ${r.clientCores.toFixed(2)} | ${r.refused} / ${r.lost} | ${r.displayReceived}/${r.displayExpected} |`;
  console.log(
    '| server | scans/s | ack p50 | ack p99 | scan→display p50 | scan→display p99 | server RSS (max of nodes) | cores busy: server / load generator | refused / lost | display arrivals (sampled) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  console.log(row(opts.pg ? `nat-queue (PostgreSQL + Redis${NODES > 1 ? `, ${NODES} nodes` : ''})` : 'nat-queue (SQLite)', ours));
  console.log(row('bare Socket.IO', baseline));
  console.log(
    `\nratio to bare Socket.IO: ack p99 ×${(ours.ackP99 / baseline.ackP99).toFixed(1)}, scan→display p99 ×${(ours.displayP99 / baseline.displayP99).toFixed(1)}`,
  );
  if (NODES > 1)
    console.log(
      `cross-node fan-out (kiosk on one node, display on another, through Redis): scan→display p50 ${ms(ours.crossP50)}, p99 ${ms(ours.crossP99)}`,
    );
  const per1000 = (cpu: number) => ((1000 * cpu) / ours.acked).toFixed(2);
  console.log(
    `CPU seconds per 1,000 scans: ${ours.nodeCpu.map((c, n) => `node ${n + 1} ${per1000(c)}`).join(', ')}${pgCpu ? `; PostgreSQL backends ${per1000(pgSeconds)}` : ''}`,
  );
  if (phones)
    console.log(
      `\nturn pages (GET /api/turn/:group) after the scans, ${SECONDS} s paced, a group called every 5 s:\n${phonesTable(phones)}\n`,
    );
  console.log(`${importLine}; peak over the whole run ${MiB(peakRss)}`);
}

await runBench(main);
