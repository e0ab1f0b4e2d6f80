// Display clients in a process of their own (so their decoding does not slow the kiosks' clock):
// connects them (spread over the nodes' URLs, listener k on node k mod N), records when each change
// arrived at a sample of them, and reports latencies, also of the changes that crossed nodes.
import { io, type Socket } from 'socket.io-client';

interface GroupLike {
  id: number;
  members: { position: number }[];
}
const [urlsArg, countArg, sampleArg] = process.argv.slice(2);
const urls = urlsArg.split(',');
const count = Number(countArg);
const sample = Math.min(count, Number(sampleArg));
const now = () => performance.timeOrigin + performance.now();

/** member key, arrival time, the listener's node */
const arrivals: [string, number, number][] = [];
let changes = 0;
const sockets: Socket[] = [];
for (let k = 0; k < count; k++) {
  // Each from a loopback address of its own: a node caps the open (display) sockets of one address.
  const localAddress = `127.0.${1 + Math.floor(k / 250)}.${1 + (k % 250)}`;
  // (engine.io-client hands localAddress to ws; its types leave it out.)
  const options = { transports: ['websocket'], reconnection: false, localAddress };
  const socket = io(urls[k % urls.length], options);
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
        arrivals.push([key, t, k % urls.length]);
      }
    }
  });
}
await Promise.all(
  sockets.map(
    (s) =>
      new Promise((resolve, reject) => {
        s.once('snapshot', resolve);
        s.once('connect_error', reject);
      }),
  ),
);
process.send!({ ready: true });

/** `sent`: member key → [when the scan was sent, the kiosk's node]. */
process.on('message', (msg: { sent: [string, [number, number]][] }) => {
  const sent = new Map(msg.sent);
  const latencies: number[] = [];
  const crossing: number[] = [];
  for (const [key, t, node] of arrivals) {
    const from = sent.get(key);
    if (from === undefined) continue;
    latencies.push(t - from[0]);
    if (from[1] !== node) crossing.push(t - from[0]);
  }
  const at = (list: number[], q: number) => list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? NaN;
  latencies.sort((a, b) => a - b);
  crossing.sort((a, b) => a - b);
  for (const s of sockets) s.close();
  process.send!(
    {
      p50: at(latencies, 0.5),
      p99: at(latencies, 0.99),
      max: at(latencies, 1),
      crossP50: at(crossing, 0.5),
      crossP99: at(crossing, 0.99),
      received: latencies.length,
      expected: sent.size * sample,
      changes,
    },
    () => process.exit(0),
  );
});
