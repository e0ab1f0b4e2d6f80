import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';

/** Stands for the i-th argument while a query is built the one time. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query Kysely builds and compiles once per dialect, then runs with new values. Kysely builds
 * and compiles every query afresh, which on the scan path cost about as much CPU as SQLite running
 * it. `build` is called once, with stand-ins for its arguments: use each only as a plain value
 * (a comparison operand or an inserted value, not an IN list or part of an expression); a stand-in
 * that does not come out as a parameter is refused when the query is first compiled.
 */
export function prepared<A extends unknown[], R>(build: (db: Kysely<Database>, dialect: Dialect, ...args: A) => Compilable<R>) {
  const compiled = new Map<Dialect, CompiledQuery<R>>();
  const arity = Math.max(0, build.length - 2);
  return async (db: Kysely<Database>, dialect: Dialect, ...args: A): Promise<R[]> => {
    let query = compiled.get(dialect);
    if (!query) {
      query = build(db, dialect, ...(Array.from({ length: arity }, (_, i) => new Slot(i)) as A)).compile();
      const bound = new Set(query.parameters.flatMap((p) => (p instanceof Slot ? [p.index] : [])));
      if (bound.size !== arity) throw new Error(`prepared query: only ${bound.size} of ${arity} arguments became parameters: ${query.sql}`);
      compiled.set(dialect, query);
    }
    const parameters = query.parameters.map((p) => (p instanceof Slot ? args[p.index] : p));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
