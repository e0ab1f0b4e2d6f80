// Residents' phones in a process of their own: each polls its group's turn page answer as the page
// does (turnPollMs: every 5 s near its turn, 15 s while far; starting at a random moment of the first
// interval), sends back the tag it holds, and the process reports latencies and statuses. Phones
// share a keep-alive pool, as behind a proxy.
import http from 'node:http';
import { TURN_POLL_MS, turnPath, turnPollMs, type TurnView } from '../../shared/turnView';

const [url, countArg, secondsArg, groupsArg] = process.argv.slice(2);
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

async function phone(k: number, until: number): Promise<void> {
  const path = turnPath(groups[k % groups.length]);
  let etag: string | null = null;
  let view: TurnView | null = null;
  let due = now() + Math.random() * TURN_POLL_MS;
  while (due < until) {
    await new Promise((r) => setTimeout(r, Math.max(0, due - now())));
    const t0 = now();
    try {
      const answer = await ask(path, etag);
      latencies.push(now() - t0);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 200) view = JSON.parse(answer.body) as TurnView;
      etag = answer.status === 200 || answer.status === 304 ? answer.etag : null;
    } catch {
      errors += 1;
    }
    due += turnPollMs(view);
  }
}

process.send!('ready');
process.once('message', async () => {
  const start = now();
  await Promise.all(Array.from({ length: count }, (_, k) => phone(k, start + seconds * 1000)));
  const elapsed = (now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const cpu = process.cpuUsage();
  process.send!({ requests: latencies.length, errors, elapsed, p50: at(0.5), p99: at(0.99), statuses: [...statuses], cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  agent.destroy();
  process.exit(0);
});
