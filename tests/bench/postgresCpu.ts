// CPU time PostgreSQL spends for the bench: the backends serving the bench's own database (found in
// pg_stat_activity, read in /proc: the database runs on this machine). Other sessions' work on the
// shared server is not counted; its WAL writer and checkpointer are not either.
import pg from 'pg';
import { cpuSeconds } from '../support/spawnNode';

/** The CPU seconds so far of the backends connected to the database at `url` now. */
export async function postgresBackends(url: string): Promise<() => number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return () => rows.reduce((sum, r) => sum + cpuSeconds(r.pid), 0);
  } finally {
    await client.end();
  }
}
