import v8 from 'node:v8';

/**
 * How far the heap may grow past what the last full collection kept, in percent. V8's default on a
 * machine with this much memory lets it grow to four times that: after a roster import (a large
 * working set at its last full collection) the old generation then filled with the scans' garbage
 * for the rest of the run, and the server passed 400 MiB (BENCHMARKS.md). This sets when a full
 * collection starts, not a cap: a large import still gets all the memory it needs.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Applies the setting to this process. V8 reads it whenever it plans the next full collection, so
 * setting it at start-up (rather than as a node flag) works for every way a server process starts.
 */
export function tuneHeap(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
