// One thread of the bulk sealer's piscina pool: seals a batch of texts as ResidentCrypto.encrypt does.
import { workerData } from 'node:worker_threads';
import { IV_BYTES, RandomPool, seal } from './sealing';

const key = Buffer.from((workerData as { key: Uint8Array }).key);
const random = new RandomPool(4092);

/** Each text sealed under the worker's key (null stays null), in order. */
export default function sealBatch(texts: (string | null)[]): (string | null)[] {
  return texts.map((text) => (text === null ? null : seal(key, random.take(IV_BYTES), text)));
}
