// One thread of the bulk sealer's piscina pool: hashes and seals a batch as ResidentCrypto's
// hashId and encrypt do, with the same module (sealing.ts).
import { workerData } from 'node:worker_threads';
import type { SealingBatch, SealedBatch } from './bulkSealer';
import { IV_BYTES, keyedHash, RandomPool, seal } from './sealing';

const { idKey, dataKey } = workerData as { idKey: Uint8Array; dataKey: Uint8Array };
const hashKey = Buffer.from(idKey);
const sealKey = Buffer.from(dataKey);
const random = new RandomPool(4092);

export default function sealBatch({ hash, seal: texts }: SealingBatch): SealedBatch {
  return {
    hashes: hash.map((text) => keyedHash(hashKey, text)),
    sealed: texts.map((text) => (text === null ? null : seal(sealKey, random.take(IV_BYTES), text))),
  };
}
