// Display clients in a process of their own (so their decoding does not slow the kiosks' clock):
// connects them, records when each change arrived at a sample of them, and reports latencies.
import { io, type Socket } from 'socket.io-client';

interface GroupLike { id: number; members: { position: number }[] }
const [url, countArg, sampleArg] = process.argv.slice(2);
const count = Number(countArg);
const sample = Math.min(count, Number(sampleArg));
const now = () => performance.timeOrigin + performance.now();

const arrivals: [string, number][] = [];
let changes = 0;
const sockets: Socket[] = [];
for (let k = 0; k < count; k++) {
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  // In a benchmark only scans happen: each member (group, position) is one scan, seen first when it arrived.
  const seen = new Set<string>();
  socket.on('change', (c: { groups: GroupLike[] }) => {
    changes += 1;
    if (k >= sample) return;
    const t = now();
    for (const g of c.groups) {
      for (const m of g.members) {
        const key = `${g.id}:${m.position}`;
        if (seen.has(key)) continue;
        seen.add(key);
        arrivals.push([key, t]);
      }
    }
  });
}
await Promise.all(sockets.map((s) => new Promise((resolve, reject) => {
  s.once('snapshot', resolve);
  s.once('connect_error', reject);
})));
process.send!({ ready: true });

process.on('message', (msg: { sent: [string, number][] }) => {
  const sent = new Map(msg.sent);
  const latencies: number[] = [];
  for (const [key, t] of arrivals) {
    const t0 = sent.get(key);
    if (t0 !== undefined) latencies.push(t - t0);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  for (const s of sockets) s.close();
  process.send!({ p50: at(0.5), p99: at(0.99), max: at(1), received: latencies.length, expected: sent.size * sample, changes }, () => process.exit(0));
});
