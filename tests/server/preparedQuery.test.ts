// Queries built and compiled once, run many times with new values (the scan path's statements).
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/schema';
import { prepared } from '../../server/store/preparedQuery';

describe('a prepared query', () => {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  afterAll(() => db.destroy());

  it('binds each run’s values in place of the ones it was built with, constants kept', async () => {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text')
      .execute();
    const put = prepared((q, _d, key: string, value: string) => q.insertInto('settings').values({ key, value }));
    const find = prepared((q, _d, value: string, prefix: string) =>
      q
        .selectFrom('settings')
        .select('key')
        .where('value', '=', value)
        .where('key', 'like', prefix)
        .where('key', '<>', 'never')
        .orderBy('key'),
    );
    for (const [key, value] of [
      ['a1', 'x'],
      ['a2', 'y'],
      ['b1', 'x'],
      ['a3', 'x'],
    ])
      await put(db, 'sqlite', key, value);
    expect(await find(db, 'sqlite', 'x', 'a%')).toEqual([{ key: 'a1' }, { key: 'a3' }]);
    expect(await find(db, 'sqlite', 'y', '%')).toEqual([{ key: 'a2' }]);
  });

  it('refuses a query whose argument was used for more than a plain value', async () => {
    const broken = prepared((q, _d, n: number) =>
      q
        .selectFrom('settings')
        .selectAll()
        .limit(n + 1),
    );
    await expect(broken(db, 'sqlite', 1)).rejects.toThrow(/only 0 of 1 arguments became parameters/);
  });
});
