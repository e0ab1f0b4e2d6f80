// The transaction runner keeps the reason a write failed. SQLite ends a transaction by itself on a
// full disk (SQLITE_FULL), so the rollback that follows fails too ("cannot rollback - no transaction
// is active"); the log must still say the disk is full. Failures are injected into real SQLite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/schema';
import { inTransaction } from '../../server/store/transactionRunner';

/** Makes the raw statements named in `fail` throw the given error, as the driver would. */
function failing(fail: Partial<Record<'commit' | 'rollback', string>>): KyselyPlugin {
  return {
    transformQuery({ node }: { node: RootOperationNode }) {
      const text = node.kind === 'RawNode' ? node.sqlFragments.join('').trim() : '';
      const message = fail[text as 'commit' | 'rollback'];
      if (message) throw Object.assign(new Error(message), { code: text === 'commit' ? 'SQLITE_FULL' : 'SQLITE_ERROR' });
      return node;
    },
    async transformResult({ result }) {
      return result;
    },
  };
}

describe('transaction runner', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  function db(fail: Partial<Record<'commit' | 'rollback', string>> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-runner-'));
    dirs.push(dir);
    const file = new SQLite(path.join(dir, 'db.sqlite'));
    file.exec('create table settings (key text primary key, value text not null)');
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: file }), plugins: [failing(fail)] });
  }
  const NO_TX = 'cannot rollback - no transaction is active';

  it('commits, and rolls back a write that fails', async () => {
    const k = db();
    await inTransaction(k, (tx) => tx.insertInto('settings').values({ key: 'a', value: '1' }).execute());
    await expect(
      inTransaction(k, async (tx) => {
        await tx.insertInto('settings').values({ key: 'b', value: '2' }).execute();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await k.selectFrom('settings').select('key').execute()).toEqual([{ key: 'a' }]);
  });

  it("throws the write's own error when the rollback fails too, the rollback's noted on it", async () => {
    const k = db({ rollback: NO_TX });
    const err = await inTransaction(k, async () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'database or disk is full', code: 'SQLITE_FULL', rollbackError: NO_TX });
  });

  it("throws the commit's error when the commit and then the rollback fail", async () => {
    const k = db({ commit: 'database or disk is full', rollback: NO_TX });
    const err = await inTransaction(k, (tx) => tx.insertInto('settings').values({ key: 'c', value: '3' }).execute()).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ message: 'database or disk is full', rollbackError: NO_TX });
  });
});
