// The scan path alone, without sockets: QueueService.scan on PostgreSQL, C scans in flight, and
// where the time goes (statements a scan runs, this process's CPU, the PostgreSQL backends' CPU).
//   npx tsx tests/bench/scanPath.ts [scans=3000] [inFlight=20] [rows=5000]
import crypto from 'node:crypto';
import { connect } from '../../server/db/connect';
import { KyselyStore } from '../../server/store/kyselyStore';
import { QueueService } from '../../server/queue/queueService';
import { WritePipeline } from '../../server/write/writePipeline';
import { ChangeBus } from '../../server/write/changeBus';
import { ResidentCrypto } from '../../server/security/residentCrypto';
import { formatResidentCode } from '../../shared/residentCode';
import { freshPostgresDatabase } from '../support/backends';
import { trackPostgresCpu } from './postgresCpu';
import pg from 'pg';

// Statements sent, counted at the driver (every pool connection is a pg.Client).
// Also the wall time until each kind of statement answered (its first word, or the function it calls).
let statements = 0;
const waited = new Map<string, number>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
  const kind = /natq_\w+/.exec(text)?.[0] ?? (/^\s*(\w+)/.exec(text)?.[1] ?? '?').toLowerCase();
  const t0 = performance.now();
  const result = (query as (...a: unknown[]) => unknown).apply(this, args);
  if (result instanceof Promise)
    void result.finally(() => waited.set(kind, (waited.get(kind) ?? 0) + performance.now() - t0)).catch(() => {});
  return result;
} as typeof query;

const [scans = 3000, inFlight = 20, rows = 5000] = process.argv.slice(2).map(Number);
const db = await freshPostgresDatabase();
try {
  const conn = await connect({ databaseUrl: db.url, dataDir: '/tmp' });
  const store = await KyselyStore.open(conn);
  const residentCrypto = new ResidentCrypto(crypto.randomBytes(32));
  const queue = new QueueService(store, new WritePipeline(store, new ChangeBus()), residentCrypto);
  await queue.ensureDefaults();
  const at = new Date().toISOString();
  const uids = Array.from({ length: rows }, () => residentCrypto.newUid());
  await store.write((tx) =>
    tx.residents().insertMany(
      uids.map((uid, i) => ({
        uid,
        name: `R${i}`,
        id_type: 'resident-id',
        id_hash: `h${i}`,
        id_masked: '',
        id_enc: '',
        phone_enc: null,
        nationality: '',
        id_note: '',
        building: '1',
        unit: '1',
        room: String(i),
        household: `1-1-${i}`,
        tags: '[]',
        created_at: at,
        updated_at: at,
      })),
    ),
  );
  const codes = uids.map((uid) => formatResidentCode(residentCrypto.codeFor(uid)));
  const pgCpu = await trackPostgresCpu(db.url);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const stats = async () =>
    (
      await admin.query<{ xact_commit: number; tup_inserted: number }>(
        'select xact_commit::int, tup_inserted::int from pg_stat_database where datname = current_database()',
      )
    ).rows[0];
  const actor = { role: 'kiosk' as const, device: 'k1' };
  const statementsBefore = statements;
  waited.clear();
  const before = { own: process.cpuUsage(), t: performance.now(), stats: await stats() };
  let next = 0;
  const lat: number[] = [];
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < scans) {
        const input = codes[next++ % codes.length];
        const t0 = performance.now();
        const r = await queue.scan(actor, { key: `k${next}-${Math.random()}`, point: 'A', input });
        if (r.kind !== 'added') throw new Error(JSON.stringify(r));
        lat.push(performance.now() - t0);
      }
    }),
  );
  const secs = (performance.now() - before.t) / 1000;
  const own = process.cpuUsage(before.own);
  const sent = statements - statementsBefore;
  await new Promise((r) => setTimeout(r, 600)); // pg_stat_database is updated at most every 500 ms
  const after = await stats();
  lat.sort((a, b) => a - b);
  console.log(
    `${scans} scans, ${inFlight} in flight: ${(scans / secs).toFixed(0)} scans/s; latency p50 ${lat[lat.length >> 1].toFixed(1)} ms p99 ${lat[Math.floor(lat.length * 0.99)].toFixed(1)} ms`,
  );
  console.log(
    `CPU s per 1,000 scans: this process ${((own.user + own.system) / 1e3 / scans).toFixed(2)}, PostgreSQL backends ${((1000 * (await pgCpu.stop())) / scans).toFixed(2)}`,
  );
  console.log(
    `statements per scan ${(sent / scans).toFixed(2)}; ms waited per scan for: ${[...waited]
      .sort((a, b) => b[1] - a[1])
      .map(([k, ms]) => `${k} ${(ms / scans).toFixed(2)}`)
      .join(', ')}`,
  );
  console.log(
    `transactions ${after.xact_commit - before.stats.xact_commit} (per scan ${((after.xact_commit - before.stats.xact_commit) / scans).toFixed(2)}), rows inserted per scan ${((after.tup_inserted - before.stats.tup_inserted) / scans).toFixed(2)}`,
  );
  await admin.end();
  await store.close();
} finally {
  await db.drop();
}
