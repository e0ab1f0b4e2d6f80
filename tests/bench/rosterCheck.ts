// The roster import's check (the first pass over the file) alone, in this process: the bench's
// community as a CSV upload saved on disk, checked as an import checks it (accepted entries spilled).
// Prints wall and CPU time (all threads of the process: the garbage collector's too).
//   npx tsx tests/bench/rosterCheck.ts [rows] [runs]
//   node --cpu-prof --import tsx tests/bench/rosterCheck.ts 1000000: where its time goes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { RosterChecker } from '../../server/roster/checkRoster';
import { EntrySpill } from '../../server/roster/entrySpill';
import { openRosterFile } from '../../server/roster/readRosterFile';
import { withSavedUpload } from '../../server/roster/savedUpload';
import { resident } from './community';

const ROWS = Number(process.argv[2] ?? 200_000);
const RUNS = Number(process.argv[3] ?? 1);
/** Residents written to the file at a time: the file is made without holding it whole. */
const CHUNK = 10_000;

/** The bench's roster of `rows` residents, as one CSV file (the header once). */
function writeCsv(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w');
  for (let start = 0; start < rows; start += CHUNK) {
    const people = Array.from({ length: Math.min(CHUNK, rows - start) }, (_, k) => resident(start + k, rows));
    const csv = rosterCsv(people);
    fs.writeSync(fd, start === 0 ? csv : csv.slice(csv.indexOf('\r\n') + 2));
  }
  fs.closeSync(fd);
}

/** Milliseconds spent collecting garbage (pauses of the main thread) since the start. */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-check-'));
  try {
    const csvFile = path.join(dir, 'roster.csv');
    writeCsv(csvFile, ROWS);
    const results: string[][] = [];
    for (let run = 1; run <= RUNS; run++) {
      await withSavedUpload(fs.createReadStream(csvFile), dir, async (upload) => {
        const source = await openRosterFile(upload, 'roster.csv');
        const spill = new EntrySpill(dir);
        try {
          const [t0, cpu0, gc0] = [performance.now(), process.cpuUsage(), gcMs];
          const report = await new RosterChecker(source, 100).check((entries) => spill.write(entries));
          const seconds = (performance.now() - t0) / 1000;
          const cpu = process.cpuUsage(cpu0);
          const cpuSeconds = (cpu.user + cpu.system) / 1e6;
          // Observed a turn later: the check's last collections are counted once it is done.
          await new Promise((resolve) => setImmediate(resolve));
          const gcSeconds = (gcMs - gc0) / 1000;
          if (report.accepted !== ROWS) throw new Error(`accepted ${report.accepted} of ${ROWS} rows`);
          const peak = process.resourceUsage().maxRSS / 1024;
          results.push([
            String(run),
            String(ROWS),
            seconds.toFixed(2),
            ((seconds * 1e6) / ROWS).toFixed(2),
            cpuSeconds.toFixed(2),
            ((cpuSeconds * 1e6) / ROWS).toFixed(2),
            gcSeconds.toFixed(2),
            `${peak.toFixed(0)} MiB`,
          ]);
        } finally {
          await spill.remove();
        }
      });
    }
    console.log(
      `roster check, Node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const table = [['run', 'rows', 'seconds', 'µs/row', 'CPU s', 'CPU µs/row', 'GC s', 'peak RSS'], ...results];
    for (const row of table) console.log(row.map((c, i) => (i === 0 ? c.padEnd(4) : c.padStart(11))).join(' '));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
