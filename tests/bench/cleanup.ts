// What the bench starts (server processes, their databases, Redis streams, data folders) is undone on
// every way out: the end of the run, an error (a refused roster import), Ctrl-C, a kill. A step
// that can only run asynchronously is awaited; the child processes are also killed synchronously
// at exit, so even a crash leaves none behind.
import type { ChildProcess } from 'node:child_process';

const steps: (() => Promise<void>)[] = [];
const children = new Set<ChildProcess>();

/** Registers an undo step; the returned function runs it now (once) instead of at the end. */
export function onCleanup(step: () => Promise<void>): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    steps.splice(steps.indexOf(once), 1);
    await step();
  };
  steps.push(once);
  return once;
}

/** A child process to kill at exit if it is still running. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

async function cleanUp(): Promise<void> {
  // Last registered first: a node is stopped before its database is dropped.
  while (steps.length > 0) {
    await steps[steps.length - 1]().catch((err: unknown) => console.error('bench cleanup:', err));
  }
}

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // A second Ctrl-C leaves at once (the exit handler still kills the children).
    if (signalled) process.exit(130);
    signalled = true;
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** Runs the bench, then cleans up whether it ended, failed or was refused; a failure exits with 1. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
