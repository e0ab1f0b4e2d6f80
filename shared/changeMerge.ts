// Folding runs of consecutive changes into one message: under load the server sends each client one
// change per fan-out tick instead of one per write, and a client applies it like any other.
import type { Change } from './protocol';

/** The first version a change covers. */
export function firstVersion(c: Change): number {
  return c.from ?? c.version;
}

/**
 * Whether a client at `version` can apply `c`: it must not leave a version out. A merged change
 * may start before `version` — every group it holds is as of its last write in the run, so applying
 * it over any state inside the run still gives the state at `c.version`.
 */
export function follows(version: number, c: Change): boolean {
  return c.version > version && firstVersion(c) <= version + 1;
}

/** Two changes, `b` right after `a`, as one. */
function merge(a: Change, b: Change): Change {
  const groups = new Map(a.groups.map((g) => [g.id, g]));
  for (const g of b.groups) groups.set(g.id, g);
  const hall = b.hall ?? a.hall;
  const schedule = b.schedule ?? a.schedule;
  const crowding = b.crowding ?? a.crowding;
  return {
    version: b.version,
    from: firstVersion(a),
    groups: [...groups.values()],
    counts: b.counts,
    ...(hall ? { hall } : {}),
    ...(schedule ? { schedule } : {}),
    ...(crowding ? { crowding } : {}),
  };
}

/**
 * Changes in version order, each run of consecutive versions merged into one: each group as its last
 * write left it, counts, hall, schedule and crowding as last given. A gap (another node's write, or a version
 * skipped on purpose for a new round) starts a new run, so clients still see it.
 */
export function mergeChanges(changes: readonly Change[]): Change[] {
  const out: Change[] = [];
  for (const c of [...changes].sort((a, b) => a.version - b.version)) {
    const last = out.at(-1);
    if (last && firstVersion(c) === last.version + 1) out[out.length - 1] = merge(last, c);
    else out.push(c);
  }
  return out;
}
