// Encryption of many values on a thread of its own, for a roster import: while the main thread writes
// one batch of residents, this thread seals the ID numbers and phones of the next (two AES-GCM
// encryptions a resident are a fifth of a 100,000-row import).
import { Worker } from 'node:worker_threads';

// The thread runs this plain JavaScript, given as text: a worker thread cannot load TypeScript under
// tsx on Node 20. Same sealing as ResidentCrypto.encrypt: AES-256-GCM, a fresh random 12-byte IV per
// value (drawn from a pooled randomBytes buffer, every byte used once), iv.tag.ciphertext in base64url.
const SEALING_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const key = Buffer.from(workerData.key);
let pool = Buffer.alloc(0);
let offset = 0;
function freshIv() {
  if (offset + 12 > pool.length) {
    pool = crypto.randomBytes(4092);
    offset = 0;
  }
  offset += 12;
  return pool.subarray(offset - 12, offset);
}
function seal(text) {
  const iv = freshIv();
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}
parentPort.on('message', ({ id, texts }) => {
  parentPort.postMessage({ id, sealed: texts.map((text) => (text === null ? null : seal(text))) });
});
`;

interface Pending {
  resolve: (sealed: (string | null)[]) => void;
  reject: (err: Error) => void;
}

export class BulkSealer {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(key: Buffer) {
    this.worker = new Worker(SEALING_THREAD, { eval: true, workerData: { key: new Uint8Array(key) } });
    this.worker.on('message', ({ id, sealed }: { id: number; sealed: (string | null)[] }) => {
      this.pending.get(id)?.resolve(sealed);
      this.pending.delete(id);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('the sealing thread has stopped')));
  }

  /** Each text encrypted as ResidentCrypto.encrypt does (null stays null), in order; calls are answered in the order made. */
  seal(texts: (string | null)[]): Promise<(string | null)[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const sealed = new Promise<(string | null)[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // A batch left unread when its import failed must not count as an unhandled rejection.
    sealed.catch(() => {});
    this.worker.postMessage({ id, texts });
    return sealed;
  }

  /** Stops the thread; anything still being sealed is refused. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(err: Error) {
    this.failure ??= err;
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
  }
}
