// The site's own certificate authority and the server certificate it signs, made with @peculiar/x509
// over Node's WebCrypto. ECDSA P-256: quick to generate (a test server makes one in ~0.1 s) and
// accepted by Android, iOS, Windows and Chromium. The rules iOS sets for certificates it trusts hold:
// a CA with basicConstraints CA:true and keyUsage keyCertSign; a server certificate valid ≤ 825 days
// (397 here, the browsers' limit) with extendedKeyUsage serverAuth and every name in subjectAltName.
import 'reflect-metadata';
import { createHash, createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import net from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_DAYS = 10 * 365;
export const SERVER_CERT_DAYS = 397;
/** A tablet whose clock is a little behind still accepts a certificate made just now. */
const BACKDATE_MS = 60 * 60 * 1000;

/** A certificate and its private key, PEM (the key PKCS#8). */
export interface CertPair {
  cert: string;
  key: string;
}

const serial = () => {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive
  return bytes.toString('hex');
};

/** PEM ending in a newline, so a certificate and its CA can be concatenated into one chain. */
const pem = (cert: x509.X509Certificate) => `${cert.toString('pem').trimEnd()}\n`;

async function exportKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

/** A new CA, named after the machine so a device's trust list says whose it is. */
export async function createCa(machine: string, now = new Date()): Promise<CertPair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ CN: [`nat-queue local CA (${machine})`] }, { O: ['nat-queue'] }],
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: pem(cert), key: await exportKey(keys.privateKey) };
}

/** A server certificate for these names (host names and IP addresses), signed by the CA. */
export async function issueServerCert(ca: CertPair, names: readonly string[], now = new Date()): Promise<CertPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKeyDer = createPrivateKey(ca.key).export({ format: 'der', type: 'pkcs8' });
  const caKey = (await webcrypto.subtle.importKey('pkcs8', caKeyDer, ALGORITHM, false, ['sign'])) as unknown as CryptoKey;
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ CN: [names[0] ?? 'localhost'] }, { O: ['nat-queue'] }],
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + SERVER_CERT_DAYS * DAY_MS),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((value) => ({ type: net.isIP(value) ? ('ip' as const) : ('dns' as const), value })),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: pem(cert), key: await exportKey(keys.privateKey) };
}

/** SHA-256 of a certificate's DER, as devices show it (AA:BB:…). */
export function fingerprint(certPem: string): string {
  const der = new X509Certificate(certPem).raw;
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}
