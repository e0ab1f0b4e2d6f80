// Group commit: the queue's writes that arrive together share one transaction and one commit,
// yet each keeps its own outcome.
import { afterEach, describe, expect, it } from 'vitest';
import { KyselyStore } from '../../server/store/kyselyStore';
import type { StoreTx } from '../../server/store/store';
import { DATABASES, freshConnection } from '../support/backends';

describe.each(DATABASES)('group commit (%s)', (database) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function openStore(): Promise<KyselyStore> {
    const { conn, drop } = await freshConnection(database);
    cleanups.push(drop);
    return KyselyStore.open(conn);
  }
  const put = (key: string) => async (tx: StoreTx) => {
    await tx.putSetting(key, 'written', true);
    return key;
  };
  const settings = (store: KyselyStore, keys: string[]) => store.read(async (tx) => Promise.all(keys.map((k) => tx.setting(k))));

  it('runs the writes that arrive together before answering any of them: one commit for the group', async () => {
    const store = await openStore();
    const events: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        store
          .writeGrouped(async (tx) => {
            events.push(`run ${key}`);
            await put(key)(tx);
          })
          .then(() => events.push(`answered ${key}`)),
      ),
    );
    expect(events).toEqual(['run a', 'run b', 'run c', 'answered a', 'answered b', 'answered c']);
    expect(await settings(store, ['a', 'b', 'c'])).toEqual(['written', 'written', 'written']);
  });

  it('undoes a write that fails, and only that one', async () => {
    const store = await openStore();
    const outcomes = await Promise.allSettled([
      store.writeGrouped(put('a')),
      store.writeGrouped(async (tx) => {
        await put('b')(tx);
        throw new Error('refused half-way');
      }),
      store.writeGrouped(put('c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('refused half-way');
    expect(await settings(store, ['a', 'b', 'c'])).toEqual(['written', null, 'written']);
  });

  it('tries a write that lost a race (unique violation) again, without disturbing the rest of its group', async () => {
    const store = await openStore();
    let attempts = 0;
    const outcomes = await Promise.all([
      store.writeGrouped(put('a')),
      store.writeGrouped(async (tx) => {
        attempts += 1;
        await put('b')(tx);
        if (attempts === 1)
          throw Object.assign(new Error('duplicate key'), { code: database === 'sqlite' ? 'SQLITE_CONSTRAINT_UNIQUE' : '23505' });
        return 'b';
      }),
    ]);
    expect(outcomes).toEqual(['a', 'b']);
    expect(attempts).toBe(2);
    expect(await settings(store, ['a', 'b'])).toEqual(['written', 'written']);
  });

  it('keeps taking writes that arrive while a group commits, in order', async () => {
    const store = await openStore();
    const order: number[] = [];
    const writes = Array.from({ length: 250 }, (_, k) =>
      store.writeGrouped(async (tx) => {
        order.push(k);
        await tx.putSetting(`k${k}`, String(k), true);
        return k;
      }),
    );
    // More than one group's worth, and some queued only once the first group has started.
    writes.push(writes[0].then(() => store.writeGrouped(put('late'))) as Promise<number>);
    await Promise.all(writes);
    expect(order).toEqual(Array.from({ length: 250 }, (_, k) => k));
    expect(await settings(store, ['k0', 'k249', 'late'])).toEqual(['0', '249', 'written']);
  });
});
