// AES-256-GCM sealing of what only staff may read, and the keyed hash residents are found by, written
// once: ResidentCrypto uses them on the main thread, the bulk sealer's worker threads (sealingWorker.ts)
// for a roster import, with this same code.
import crypto from 'node:crypto';

export const IV_BYTES = 12;

/**
 * Random bytes drawn from a larger buffer filled by the CSPRNG: one `randomBytes` call per few hundred
 * values instead of one each (a roster import needs three per resident). Every byte is handed out once.
 */
export class RandomPool {
  private buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(private readonly size: number) {}

  take(n: number): Buffer {
    if (this.offset + n > this.buffer.length) {
      this.buffer = crypto.randomBytes(Math.max(n, this.size));
      this.offset = 0;
    }
    const out = this.buffer.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}

/** The keyed hash (HMAC-SHA-256, base64url) a resident is found by. */
export function keyedHash(key: Buffer, text: string): string {
  return crypto.createHmac('sha256', key).update(text).digest('base64url');
}

/** The text sealed under `key` with this fresh IV: iv.tag.ciphertext in base64url. */
export function seal(key: Buffer, iv: Buffer, text: string): string {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** The text a `seal` made; throws when it was sealed under another key or altered. */
export function unseal(key: Buffer, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
