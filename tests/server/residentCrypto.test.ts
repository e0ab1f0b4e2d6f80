// What only staff may read (ID numbers, phones) is sealed with AES-256-GCM under a fresh random IV,
// so two residents with the same phone never share a ciphertext.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BulkSealer } from '../../server/security/bulkSealer';
import { ResidentCrypto } from '../../server/security/residentCrypto';
import { UID_LENGTH } from '../../shared/residentCode';

const residentCrypto = () => new ResidentCrypto(crypto.randomBytes(32));
const sealed = async (sealer: BulkSealer, texts: (string | null)[]) => (await sealer.run({ hash: [], seal: texts })).sealed;

describe('sealing a resident’s personal data', () => {
  it('reads back what was sealed, as iv.tag.ciphertext in base64url', () => {
    const rc = residentCrypto();
    for (const text of ['13900012345', '11010519491231002X', '', '张三丰']) {
      const sealed = rc.encrypt(text);
      expect(sealed).toMatch(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
      expect(rc.decrypt(sealed)).toBe(text);
    }
  });

  it('never uses an IV twice, even across a whole roster of the same phone number', () => {
    const rc = residentCrypto();
    const ivs = new Set(Array.from({ length: 5000 }, () => rc.encrypt('13900012345').split('.')[0]));
    expect(ivs.size).toBe(5000);
  });

  it('refuses a ciphertext sealed under another install’s key', () => {
    expect(() => residentCrypto().decrypt(residentCrypto().encrypt('13900012345'))).toThrow();
  });

  it('gives every resident a different uid', () => {
    const rc = residentCrypto();
    const uids = new Set(Array.from({ length: 5000 }, () => rc.newUid()));
    expect(uids.size).toBe(5000);
    for (const uid of uids) expect(uid).toHaveLength(UID_LENGTH);
  });
});

describe('sealing a whole roster on threads of their own (piscina)', () => {
  it('seals as encrypt does, in order, leaving null as null', async () => {
    const rc = residentCrypto();
    const sealer = rc.bulkSealer();
    try {
      const texts = ['11010519491231002X', '13900012345', null, '', '张三丰'];
      const [first, second] = await Promise.all([sealed(sealer, texts), sealed(sealer, ['13900012345'])]);
      expect(first.map((s) => (s === null ? null : rc.decrypt(s)))).toEqual(texts);
      expect(first[0]).toMatch(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
      expect(rc.decrypt(second[0]!)).toBe('13900012345');
    } finally {
      await sealer.close();
    }
  });

  it('hashes ID numbers as hashId does, beside the sealing', async () => {
    const rc = residentCrypto();
    const sealer = rc.bulkSealer();
    try {
      const { hashes, sealed: out } = await sealer.run({ hash: ['11010519491231002X', 'passport:E1234567'], seal: ['13900012345'] });
      expect(hashes).toEqual([rc.hashId('11010519491231002X'), rc.hashId('passport:E1234567')]);
      expect(rc.decrypt(out[0]!)).toBe('13900012345');
    } finally {
      await sealer.close();
    }
  });

  it('never uses an IV twice', async () => {
    const sealer = residentCrypto().bulkSealer();
    try {
      const out = await sealed(
        sealer,
        Array.from({ length: 5000 }, () => '13900012345'),
      );
      expect(new Set(out.map((s) => s!.split('.')[0])).size).toBe(5000);
    } finally {
      await sealer.close();
    }
  });

  it('refuses to seal once closed', async () => {
    const sealer = residentCrypto().bulkSealer();
    await sealer.close();
    await expect(sealed(sealer, ['13900012345'])).rejects.toThrow('stopped');
  });
});
