// CPU time PostgreSQL spends for the bench: the backends serving the bench's own database (found in
// pg_stat_activity, read in /proc: the database runs on this machine). Other sessions' work on the
// shared server is not counted; its WAL writer and checkpointer are not either. A node's pool closes
// idle connections and opens new ones, so the backends are looked up again every 250 ms: a backend
// that ends loses at most its last 250 ms.
import pg from 'pg';
import { cpuSeconds } from '../support/spawnNode';

/** Starts counting the CPU seconds of the backends connected to the database at `url`; `stop` returns the total since. */
export async function trackPostgresCpu(url: string): Promise<{ stop: () => Promise<number> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  /** pid → [CPU seconds when first seen, last seen] */
  const seen = new Map<number, [number, number]>();
  let first = true;
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    for (const { pid } of rows) {
      const cpu = cpuSeconds(pid);
      const entry = seen.get(pid);
      // A backend that started after the first look is counted from zero.
      if (entry) entry[1] = Math.max(entry[1], cpu);
      else seen.set(pid, [first ? cpu : 0, cpu]);
    }
    first = false;
  };
  await sample();
  let sampling = Promise.resolve();
  const timer = setInterval(() => void (sampling = sampling.then(sample)), 250);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      await sample();
      await client.end();
      return [...seen.values()].reduce((sum, [from, to]) => sum + to - from, 0);
    },
  };
}
