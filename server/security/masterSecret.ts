import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The per-install secret every key is derived from. Embedded installs keep it in the data
 * folder (mode 600, never in the database: a copied database alone reveals no ID numbers);
 * scale-out nodes must all be given the same one in NATQ_SECRET.
 */
export function loadMasterSecret(opts: { secret: string | null; dataDir: string; scaleOut: boolean }): Buffer {
  if (opts.secret) {
    if (opts.secret.length < 32) throw new Error('NATQ_SECRET must be at least 32 characters');
    return Buffer.from(opts.secret, 'utf8');
  }
  if (opts.scaleOut) throw new Error('NATQ_SECRET is required with DATABASE_URL: every node must share it');
  const file = path.join(opts.dataDir, 'secret.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const secret = crypto.randomBytes(32);
  fs.writeFileSync(file, secret.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}

export function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), `nat-queue ${purpose}`, 32));
}
