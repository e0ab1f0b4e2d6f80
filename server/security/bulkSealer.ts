// Hashing and encryption of many values on threads of their own (a piscina pool), for a roster
// import: while the main thread writes one batch of residents, a worker hashes the next batch's ID
// numbers and seals their ID numbers and phones (a third of an import's work). The workers run
// sealingWorker.ts, which uses the same module as ResidentCrypto (sealing.ts).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

// A worker thread is given the tsx loader the server runs under (Node 20 does not pass it on by
// itself), so the worker loads the TypeScript sealing module itself, not a copy of it.
const WORKER = new URL('./sealingWorker.ts', import.meta.url).href;

export interface SealingBatch {
  /** Texts to hash as ResidentCrypto.hashId does. */
  hash: string[];
  /** Texts to seal as ResidentCrypto.encrypt does; null stays null. */
  seal: (string | null)[];
}

export interface SealedBatch {
  hashes: string[];
  sealed: (string | null)[];
}

export class BulkSealer {
  private readonly pool: Piscina;
  private closed = false;

  constructor(idKey: Buffer, dataKey: Buffer) {
    this.pool = new Piscina({
      filename: WORKER,
      execArgv: ['--import', 'tsx'],
      workerData: { idKey: new Uint8Array(idKey), dataKey: new Uint8Array(dataKey) },
      // Started at once: the thread is up by the time the file is checked. One core is the main thread's.
      minThreads: 1,
      maxThreads: Math.max(1, availableParallelism() - 1),
      // A batch's values are garbage once sent back: a small young generation collects them soon, where
      // V8's default let each thread hold tens of MiB more during a district's import.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
  }

  /** The batch hashed and sealed, each list in its order. */
  run(batch: SealingBatch): Promise<SealedBatch> {
    if (this.closed) return Promise.reject(new Error('the sealing threads have stopped'));
    const done = this.pool.run(batch) as Promise<SealedBatch>;
    // A batch left unread when its import failed must not count as an unhandled rejection.
    done.catch(() => {});
    return done;
  }

  /** Stops the threads; anything still being sealed is refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pool.destroy();
  }
}
