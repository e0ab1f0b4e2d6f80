import crypto from 'node:crypto';
import { SIGNATURE_LENGTH, UID_LENGTH, toBase32, type ResidentCode } from '../../shared/residentCode';
import { deriveKey } from './masterSecret';

/** Signs resident codes, hashes ID numbers for lookup, and encrypts what only staff may read. */
export class ResidentCrypto {
  private readonly codeKey: Buffer;
  private readonly idKey: Buffer;
  private readonly dataKey: Buffer;

  constructor(master: Buffer) {
    this.codeKey = deriveKey(master, 'resident code');
    this.idKey = deriveKey(master, 'id number hash');
    this.dataKey = deriveKey(master, 'personal data');
  }

  newUid(): string {
    return toBase32(crypto.randomBytes(7), UID_LENGTH);
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

  hashIdNumber(idNumber: string): string {
    return crypto.createHmac('sha256', this.idKey).update(idNumber).digest('base64url');
  }

  /** AES-256-GCM; the output is iv.tag.ciphertext in base64url. */
  encrypt(text: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.dataKey, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  decrypt(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.dataKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}
