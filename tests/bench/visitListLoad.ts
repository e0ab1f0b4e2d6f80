// Kiosk scans while home-visit tablets read their lists, against a big roster (#12.9): one server node
// in a child process (SQLite, or PostgreSQL with --pg), a roster of N residents from the demo community
// generator, one kiosk scanning one resident after another, R tablets reading a team's list in a loop (or,
// with --team 0, staff reading the whole list).
//   npx tsx tests/bench/visitListLoad.ts --residents 100000 --readers 4 --seconds 15 [--team 200] [--pg]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { generateCommunity } from '../../server/demo/community';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API, type HouseholdCodes } from '../../shared/api';
import type { Reply, ScanOutcome } from '../../shared/protocol';
import { ROUNDS_API } from '../../shared/roundsApi';
import { spawnNode } from '../support/spawnNode';

const { values: opts } = parseArgs({
  options: {
    residents: { type: 'string', default: '100000' },
    readers: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '15' },
    /** Visits given to the team whose list the readers read; 0: the readers read the whole list. */
    team: { type: 'string', default: '200' },
    pg: { type: 'boolean', default: false },
  },
});
const RESIDENTS = Number(opts.residents);
const READERS = Number(opts.readers);
const SECONDS = Math.min(60, Number(opts.seconds));
const TEAM = Number(opts.team);
const PINS = { KIOSK_PIN: '1111', VOLUNTEER_PIN: '2222', STAFF_PIN: '3333' };

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const fmt = (xs: number[]) =>
  `n=${xs.length} p50 ${quantile(xs, 0.5).toFixed(1)} ms, p99 ${quantile(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-visits-'));
const env: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...PINS };
let drop = async () => {};
if (opts.pg) {
  const { freshPostgresDatabase } = await import('../support/backends');
  const db = await freshPostgresDatabase();
  Object.assign(env, { DATABASE_URL: db.url, NATQ_SECRET: 'bench-secret-bench-secret-bench-secret-01' });
  drop = db.drop;
}
const node = await spawnNode('tests/support/childServer.ts', env);
try {
  const login = async (role: string, pin: string) => {
    const res = await fetch(node.url + API.login, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role, pin }),
    });
    return ((await res.json()) as { token: string }).token;
  };
  const staff = await login('staff', PINS.STAFF_PIN);
  const kioskToken = await login('kiosk', PINS.KIOSK_PIN);
  const auth = { authorization: `Bearer ${staff}` };

  const t0 = performance.now();
  const imported = await fetch(`${node.url}${API.rosterImport}?filename=roster.csv`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(Buffer.from(rosterCsv(generateCommunity({ seed: 7, residents: RESIDENTS, today: new Date('2026-12-01') })))),
  });
  if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
  console.log(`imported ${RESIDENTS} residents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const codes: string[] = [];
  for (const building of ['1', '2', '3']) {
    const res = await fetch(`${node.url}${API.householdCodes}?building=${building}`, { headers: auth });
    for (const h of (await res.json()) as HouseholdCodes[]) for (const m of h.members) codes.push(m.code);
  }
  const first = performance.now();
  const list = await fetch(node.url + ROUNDS_API.homeVisits, { headers: auth });
  const visits = (await list.json()) as { id: number }[];
  console.log(`visit list: ${visits.length} visits, first read ${(performance.now() - first).toFixed(0)} ms`);
  const team = encodeURIComponent('一队');
  if (TEAM > 0) {
    const assigned = await fetch(node.url + ROUNDS_API.homeVisitsAssign, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ visitIds: visits.slice(0, TEAM).map((v) => v.id), team: '一队' }),
    });
    if (!assigned.ok) throw new Error(`assign: ${assigned.status} ${await assigned.text()}`);
  }
  const readUrl = node.url + ROUNDS_API.homeVisits + (TEAM > 0 ? `?team=${team}` : '');

  const kiosk = io(node.url, { auth: { token: kioskToken, device: 'bench-kiosk' }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve) => kiosk.once('snapshot', resolve));
  const scan = (input: string) =>
    new Promise<number>((resolve, reject) => {
      const sent = performance.now();
      kiosk.timeout(60_000).emit('scan', { key: crypto.randomUUID(), point: 'A', input }, (err: Error | null, r: Reply<ScanOutcome>) => {
        if (err) reject(err);
        else if (!r.ok) reject(new Error(r.error.reason));
        else resolve(performance.now() - sent);
      });
    });

  const until = performance.now() + SECONDS * 1000;
  const scanAcks: number[] = [];
  const reads: number[] = [];
  const scanning = (async () => {
    for (let i = 0; performance.now() < until && i < codes.length; i++) scanAcks.push(await scan(codes[i]));
  })();
  const reading = Array.from({ length: READERS }, async () => {
    while (performance.now() < until) {
      const sent = performance.now();
      const res = await fetch(readUrl, { headers: auth });
      await res.arrayBuffer();
      reads.push(performance.now() - sent);
    }
  });
  await Promise.all([scanning, ...reading]);
  kiosk.close();
  console.log(
    `${SECONDS} s, ${READERS} readers of ${TEAM > 0 ? `a team's list (${TEAM} visits)` : 'the whole list'}, ${opts.pg ? 'PostgreSQL' : 'SQLite'}`,
  );
  console.log(`kiosk scan acks: ${fmt(scanAcks)}`);
  console.log(`visit list reads: ${fmt(reads)}`);
} finally {
  await node.stop();
  await drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
