// A server's memory pattern in miniature, in a process of its own: a large working set (a roster
// import) dropped, then garbage that lives long enough to be promoted (scans, fan-out). Prints the
// highest heapUsed seen, in MiB, with the server's heap setting applied (`--default`: without it).
import { tuneHeap } from '../../server/cli/heapTuning';

if (process.argv[2] !== '--default') tuneHeap();
let imported: string[][] = [];
for (let i = 0; i < 600_000; i++) imported.push([`row ${i}`, `name ${i % 977}`, String(i * 7)]);
imported = [];
let recent: object[] = [];
let peak = 0;
for (let i = 0; i < 3_000_000; i++) {
  recent.push({ i, s: `scan ${i}` });
  if (recent.length > 200_000) recent = [];
  if (i % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
}
console.log(JSON.stringify({ peakMiB: Math.round(peak / 2 ** 20) }));
