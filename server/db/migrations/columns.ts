import type { CreateTableBuilder } from 'kysely';
import type { Dialect } from '../dialect';

/** An auto-numbered integer primary key, spelled as each database wants it. */
export function withId<T extends string>(t: CreateTableBuilder<T, never>, dialect: Dialect) {
  return dialect === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
