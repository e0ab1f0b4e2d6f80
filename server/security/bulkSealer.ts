// Encryption of many values on threads of their own (a piscina pool), for a roster import: while the
// main thread writes one batch of residents, a worker seals the ID numbers and phones of the next (two
// AES-GCM encryptions a resident are a fifth of an import). The workers run sealingWorker.ts, which
// seals with the same module as ResidentCrypto (sealing.ts).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

// A worker thread does not inherit the tsx loader the server runs under (Node 20): it is given it,
// so the worker loads the TypeScript sealing module itself, not a copy of it.
const WORKER = new URL('./sealingWorker.ts', import.meta.url).href;

export class BulkSealer {
  private readonly pool: Piscina;
  private closed = false;

  constructor(key: Buffer) {
    this.pool = new Piscina({
      filename: WORKER, execArgv: ['--import', 'tsx'], workerData: { key: new Uint8Array(key) },
      // Started at once: the thread is up by the time the file is read and checked. One core is the main thread's.
      minThreads: 1, maxThreads: Math.max(1, availableParallelism() - 1),
    });
  }

  /** Each text encrypted as ResidentCrypto.encrypt does (null stays null), in order. */
  seal(texts: (string | null)[]): Promise<(string | null)[]> {
    if (this.closed) return Promise.reject(new Error('the sealing threads have stopped'));
    const sealed = this.pool.run(texts) as Promise<(string | null)[]>;
    // A batch left unread when its import failed must not count as an unhandled rejection.
    sealed.catch(() => {});
    return sealed;
  }

  /** Stops the threads; anything still being sealed is refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pool.destroy();
  }
}
