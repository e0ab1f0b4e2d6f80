// Residents' phones in a process of their own, against one node's turn page answers
// (GET /api/turn/:group), sharing a keep-alive pool as behind a proxy. Two ways to ask:
// - paced: each phone asks as the page does — again after the wait its last answer says (pollS,
//   shared/turnView.ts turnPollS), sending back the tag it holds. The phones open their pages over
//   the first POLL_MIN_S seconds (not counted), then each asks at a random moment of its own wait and
//   on from there, as phones opened at any time before would: the counted rest is the steady rate;
// - burst200 / burst304: CONCURRENCY loops ask one group's answer back to back, without a tag (every
//   answer a 200 with its body) or with the current one (every answer a bodiless 304), so the node's
//   CPU over the answers is the cost of one answer of that kind; routed200 the same 200s with a query
//   string, which the front door leaves to Fastify's route (what every answer cost before it).
// Reports latencies and statuses, and this process's CPU.
import http from 'node:http';
import { POLL_MIN_S } from '../../shared/poll';
import { turnPath, type TurnView } from '../../shared/turnView';

export type PhonesMode = 'paced' | 'burst200' | 'burst304' | 'routed200';

export interface PhonesReport {
  requests: number;
  errors: number;
  elapsed: number;
  p50: number;
  p99: number;
  statuses: [number, number][];
  cpuSeconds: number;
}

const CONCURRENCY = 32;

const [url, mode, countArg, secondsArg, groupsArg] = process.argv.slice(2) as [string, PhonesMode, string, string, string];
const count = Number(countArg);
const seconds = Number(secondsArg);
const groups = groupsArg.split(',').map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const { hostname, port } = new URL(url);
const now = () => performance.now();

const latencies: number[] = [];
const statuses = new Map<number, number>();
let errors = 0;

function ask(path: string, etag: string | null): Promise<{ status: number; etag: string | null; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ hostname, port, path, agent, headers: etag ? { 'if-none-match': etag } : {}, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, etag: (res.headers.etag as string | undefined) ?? etag, body }));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
  });
}

async function timed(path: string, etag: string | null, counted = true) {
  const t0 = now();
  try {
    const answer = await ask(path, etag);
    if (counted) {
      latencies.push(now() - t0);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    return answer;
  } catch {
    if (counted) errors += 1;
    return null;
  }
}

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - now())));

async function pacedPhone(k: number, until: number): Promise<void> {
  const path = turnPath(groups[k % groups.length]);
  let etag: string | null = null;
  let view: TurnView | null = null;
  const pollMs = () => 1000 * (view?.pollS ?? POLL_MIN_S);
  const take = (answer: Awaited<ReturnType<typeof timed>>) => {
    if (answer?.status === 200) view = JSON.parse(answer.body) as TurnView;
    etag = answer && (answer.status === 200 || answer.status === 304) ? answer.etag : null;
  };
  await sleepUntil(now() + Math.random() * POLL_MIN_S * 1000);
  take(await timed(path, null, false));
  let due = Math.max(now(), warmedUp) + Math.random() * pollMs();
  while (due < until) {
    await sleepUntil(due);
    take(await timed(path, etag));
    due += pollMs();
  }
}

async function burst(withTag: boolean, routed: boolean, until: number): Promise<void> {
  const path = turnPath(groups[0]) + (routed ? '?routed' : '');
  const tag = withTag ? (await ask(path, null)).etag : null;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (now() < until) await timed(path, tag);
    }),
  );
}

/** The paced phones' pages are all open from here on: only answers after it are counted. */
let warmedUp = 0;

process.send!('ready');
process.once('message', async () => {
  let start = now();
  const until = start + seconds * 1000;
  if (mode === 'paced') {
    warmedUp = start + POLL_MIN_S * 1000;
    await Promise.all(Array.from({ length: count }, (_, k) => pacedPhone(k, until)));
    start = warmedUp;
  } else {
    await burst(mode === 'burst304', mode === 'routed200', until);
  }
  const elapsed = (now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const cpu = process.cpuUsage();
  const report: PhonesReport = {
    requests: latencies.length,
    errors,
    elapsed,
    p50: at(0.5),
    p99: at(0.99),
    statuses: [...statuses],
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  process.send!(report);
  agent.destroy();
  process.exit(0);
});
