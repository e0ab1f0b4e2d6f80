// The roster import's bulk insert (server/store/residentBulk.ts): on SQLite it runs OR FAIL, which leaves
// the rows before a failing one in place, so the step's transaction must undo them all.
import { afterEach, describe, expect, it } from 'vitest';
import { KyselyStore } from '../../server/store/kyselyStore';
import { DATABASES, freshConnection } from '../support/backends';
import { residentRow as row } from './helpers';

describe.each(DATABASES)('a bulk insert of residents (%s)', (database) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await drop?.();
    drop = undefined;
  });

  it('that fails on a person already there (a lost race) writes none of its rows', async () => {
    const fresh = await freshConnection(database);
    drop = fresh.drop;
    const store = new KyselyStore(fresh.conn);
    await store.write((tx) => tx.residents().insertMany([row(0)]));
    // 2,500 rows, several statements on SQLite: the copy of person 0 comes part-way through the first, after 1,500 good rows.
    const batch = Array.from({ length: 2500 }, (_, i) => row(i + 1));
    batch[1500] = row(9999, 'hash-0');
    await expect(store.write((tx) => tx.residents().insertMany(batch))).rejects.toThrow();
    const hashes = await store.read((tx) => tx.residents().byIdHashes(Array.from({ length: 2501 }, (_, i) => `hash-${i}`)));
    expect(hashes.map((r) => r.uid)).toEqual(['uid-0']);
  });
});
