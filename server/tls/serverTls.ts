// The certificate the HTTPS listener serves: the operator's own (TLS_CERT/TLS_KEY), or one the site's
// local CA issues for every name of this machine. The CA is made once per data folder and kept (every
// device trusts it); the server certificate is reissued when the machine's addresses change or it
// nears its end. Files in DATA_DIR/tls, written atomically, owner-only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { createPrivateKey as createKey, X509Certificate } from 'node:crypto';
import { writePrivateFile } from '../dataDir/privateFiles';
import { createCa, fingerprint, issueServerCert, type CertPair } from './localCa';
import { machineNames, sameNames, type MachineNames } from './machineNames';

export interface HttpsConfig {
  /** 0: a free port (tests). */
  port: number;
  /** The operator's certificate and key files (PEM), both or neither. */
  certFile: string | null;
  keyFile: string | null;
  /** Extra names the generated certificate covers (TLS_HOSTS), e.g. a DNS name the site's router gives. */
  extraHosts: string[];
}

export interface ServerTls {
  /** PEM served by the listener: the server certificate, then the CA, so a client can see whom it chains to. */
  cert: string;
  key: string;
  /** The local CA certificate (PEM) and where it is, or null with the operator's own certificate. */
  ca: { cert: string; file: string; fingerprint: string } | null;
  names: MachineNames;
}

/** Reissued this long before it ends, so a running site never serves an expired certificate. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export const tlsDir = (dataDir: string) => path.join(dataDir, 'tls');

const FILES = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'server.crt', key: 'server.key', names: 'server-names.json' } as const;

export async function loadServerTls(
  dataDir: string,
  config: HttpsConfig,
  names: MachineNames = machineNames(config.extraHosts),
): Promise<ServerTls> {
  if (config.certFile && config.keyFile) return operatorTls(config.certFile, config.keyFile, names);
  const dir = tlsDir(dataDir);
  const file = (name: keyof typeof FILES) => path.join(dir, FILES[name]);
  const ca = loadCa(file('caCert'), file('caKey')) ?? (await writeCa(file('caCert'), file('caKey')));
  let server = currentServerCert(file('cert'), file('key'), file('names'), ca, names.all);
  if (!server) {
    server = await issueServerCert(ca, names.all);
    // The key first: a certificate on disk always has its key beside it.
    writePrivateFile(file('key'), server.key);
    writePrivateFile(file('cert'), server.cert);
    writePrivateFile(file('names'), `${JSON.stringify(names.all)}\n`);
  }
  return {
    cert: server.cert + ca.cert,
    key: server.key,
    ca: { cert: ca.cert, file: file('caCert'), fingerprint: fingerprint(ca.cert) },
    names,
  };
}

function operatorTls(certFile: string, keyFile: string, names: MachineNames): ServerTls {
  const read = (f: string, what: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch (err) {
      throw new Error(`${what} ${f} could not be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
  };
  const cert = read(certFile, 'TLS_CERT');
  const key = read(keyFile, 'TLS_KEY');
  try {
    tls.createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(`TLS_CERT ${certFile} and TLS_KEY ${keyFile} are not a PEM certificate and its key: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return { cert, key, ca: null, names };
}

/** The stored CA, null when there is none yet; a damaged one stops the start (devices trust it). */
function loadCa(certFile: string, keyFile: string): CertPair | null {
  const hasCert = fs.existsSync(certFile);
  const hasKey = fs.existsSync(keyFile);
  if (!hasCert && !hasKey) return null;
  const remedy = `restore ${path.dirname(certFile)} from a backup, or delete that folder to make a new local CA (every device must then trust the new one)`;
  if (!hasCert || !hasKey) throw new Error(`${hasCert ? keyFile : certFile} is missing: ${remedy}`);
  const ca = { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
  try {
    if (!new X509Certificate(ca.cert).checkPrivateKey(createKey(ca.key))) throw new Error('the key does not belong to the certificate');
  } catch (err) {
    throw new Error(`the local CA in ${path.dirname(certFile)} is damaged (${(err as Error).message}): ${remedy}`, { cause: err });
  }
  return ca;
}

async function writeCa(certFile: string, keyFile: string): Promise<CertPair> {
  const ca = await createCa(os.hostname());
  writePrivateFile(keyFile, ca.key);
  writePrivateFile(certFile, ca.cert);
  return ca;
}

/** The stored server certificate if it is whole, signed by this CA, for these names and not near its end. */
function currentServerCert(certFile: string, keyFile: string, namesFile: string, ca: CertPair, names: string[]): CertPair | null {
  try {
    const pair = { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
    const stored = JSON.parse(fs.readFileSync(namesFile, 'utf8')) as unknown;
    const cert = new X509Certificate(pair.cert);
    const issuer = new X509Certificate(ca.cert);
    const fresh = new Date(cert.validTo).getTime() - Date.now() > RENEW_BEFORE_MS;
    const ours = cert.checkIssued(issuer) && cert.verify(issuer.publicKey) && cert.checkPrivateKey(createKey(pair.key));
    return fresh && ours && Array.isArray(stored) && sameNames(stored as string[], names) ? pair : null;
  } catch {
    // Missing or unreadable: a new one is issued (the CA, which devices trust, stays).
    return null;
  }
}
