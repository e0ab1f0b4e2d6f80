// A PostgreSQL connection closed under a running node (restart, failover, pg_terminate_backend) is
// logged as one short line: the cause, never the SQL of the statements the connection had prepared.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import type { Connection } from '../../server/db/connect';
import { createLogger } from '../../server/log';
import { BACKENDS, PG_ADMIN_URL } from '../support/backends';
import { startSite, type TestSite } from '../support/testServer';
import { ok, residents, scan } from './helpers';

describe.each(BACKENDS.filter((b) => b === 'postgres'))('a lost database connection in the log (%s)', (backend) => {
  let site: TestSite | undefined;
  afterAll(() => site?.close());

  it('logs the cause in one short line, without statement text, and keeps serving', async () => {
    const lines: string[] = [];
    site = await startSite(backend, { logger: createLogger('info', { write: (line: string) => void lines.push(line) }) });
    expect((await site.importRoster(rosterCsv(residents(0, 6)))).status).toBe(200);
    const kiosk = await site.connect('kiosk');
    const codes = (await site.codes('1')).flatMap((h) => h.members.map((m) => m.code));
    for (const code of codes.slice(0, 3)) ok(await scan(kiosk, code));

    const { db } = (site.server.store as unknown as { conn: Connection }).conn;
    const {
      rows: [{ name }],
    } = await sql<{ name: string }>`select current_database() as name`.execute(db);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
    await admin.end();

    const lost = await vi.waitFor(() => {
      const line = lines.find((l) => l.includes('a database connection was closed'));
      if (!line) throw new Error('no line about the lost connection yet');
      return line;
    });
    expect(JSON.parse(lost).err).toMatchObject({ message: expect.stringContaining('terminating connection'), code: '57P01' });
    expect(lost.length).toBeLessThan(600);
    expect(lost).not.toMatch(/select|insert|update|members|residents/i);
    // The pool opened new connections: the next scans go through.
    for (const code of codes.slice(3, 6)) ok(await scan(kiosk, code));
  });
});
