import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../dataDir/privateFiles';

const SECRET_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

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
  const stored = readSecretFile(file);
  if (stored) return stored;
  const secret = crypto.randomBytes(SECRET_BYTES);
  writePrivateFile(file, secret.toString('base64') + '\n');
  return secret;
}

/** The stored secret, or null when there is none yet; a file that cannot be used stops the start. */
function readSecretFile(file: string): Buffer | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new Error(
      `${file} cannot be read (${code ?? String(err)}): give the server's user access to it; without it the stored ID numbers cannot be read.`,
    );
  }
  const secret = BASE64.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (secret.length < SECRET_BYTES) {
    // Never the content: only its size.
    throw new Error(
      `${file} is empty or damaged (${fs.statSync(file).size} bytes): restore it from your backup; without it the stored ID numbers cannot be read. Delete it only for a fresh install.`,
    );
  }
  return secret;
}

export function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), `nat-queue ${purpose}`, 32));
}
