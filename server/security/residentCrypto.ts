import crypto from 'node:crypto';
import { SIGNATURE_LENGTH, UID_LENGTH, toBase32, type ResidentCode } from '../../shared/residentCode';
import { BulkSealer } from './bulkSealer';
import { deriveKey } from './masterSecret';

/**
 * Random bytes drawn from a larger buffer filled by the CSPRNG: one `randomBytes` call per few hundred
 * values instead of one each (a roster import needs three per resident). Every byte is handed out once.
 */
class RandomPool {
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

/** Signs resident codes, hashes ID numbers for lookup, and encrypts what only staff may read. */
export class ResidentCrypto {
  private readonly codeKey: Buffer;
  private readonly idKey: Buffer;
  private readonly dataKey: Buffer;
  private readonly random = new RandomPool(4096);

  constructor(master: Buffer) {
    this.codeKey = deriveKey(master, 'resident code');
    this.idKey = deriveKey(master, 'id number hash');
    this.dataKey = deriveKey(master, 'personal data');
  }

  newUid(): string {
    return toBase32(this.random.take(7), UID_LENGTH);
  }

  codeFor(uid: string): ResidentCode {
    const mac = crypto.createHmac('sha256', this.codeKey).update(uid).digest();
    return { uid, signature: toBase32(mac, SIGNATURE_LENGTH) };
  }

  verifyCode(code: ResidentCode): boolean {
    const expected = Buffer.from(this.codeFor(code.uid).signature);
    const given = Buffer.from(code.signature);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }

  /** The keyed hash a resident is found by; `key` is `idKey` of shared/idTypes (type and number). */
  hashId(key: string): string {
    return crypto.createHmac('sha256', this.idKey).update(key).digest('base64url');
  }

  /** AES-256-GCM with a fresh random IV; the output is iv.tag.ciphertext in base64url. */
  encrypt(text: string): string {
    const iv = this.random.take(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.dataKey, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  /** A thread of its own that encrypts many values as encrypt does, for a bulk import; close it when done. */
  bulkSealer(): BulkSealer {
    return new BulkSealer(this.dataKey);
  }

  decrypt(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.dataKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}
