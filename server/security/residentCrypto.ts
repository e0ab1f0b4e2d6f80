import crypto from 'node:crypto';
import { SIGNATURE_LENGTH, UID_LENGTH, toBase32, type ResidentCode } from '../../shared/residentCode';
import { BulkSealer } from './bulkSealer';
import { deriveKey } from './masterSecret';
import { IV_BYTES, keyedHash, RandomPool, seal, unseal } from './sealing';

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
    return keyedHash(this.idKey, key);
  }

  /** AES-256-GCM with a fresh random IV; the output is iv.tag.ciphertext in base64url. */
  encrypt(text: string): string {
    return seal(this.dataKey, this.random.take(IV_BYTES), text);
  }

  /** Threads of their own that hash and encrypt many values as hashId and encrypt do, for a bulk import; close it when done. */
  bulkSealer(): BulkSealer {
    return new BulkSealer(this.idKey, this.dataKey);
  }

  decrypt(sealed: string): string {
    return unseal(this.dataKey, sealed);
  }
}
