// Which HTTPS certificates the kiosk window accepts (applied to Electron's setCertificateVerifyProc in
// main.ts). The configured server's own local CA is pinned by its SHA-256 fingerprint in the kiosk
// config: a certificate for that host is accepted when that CA signed it, and only then — not every
// certificate, and not a certificate that merely names the CA (whose certificate is public). Other
// hosts, and a server without a pin (a certificate from a public CA), keep Chromium's own verdict.
// A server whose CA is not pinned yet is offered to the operator: trust on first use, the fingerprint
// shown on the connecting page to compare with the staff page's "Connect devices" view.
import { createHash, X509Certificate } from 'node:crypto';
import type { KioskConfig } from '../shared/kioskShell';

/** Electron's answers: 0 accept, -2 reject, -3 Chromium's own verdict. */
export const VERDICT = { accept: 0, reject: -2, chromium: -3 } as const;

export interface CertificateCheck {
  hostname: string;
  /** The chain the server presented, leaf first, PEM (Electron's certificate.data, then issuerCert …). */
  chain: string[];
  /** Chromium's own result: 0 when the chain is trusted by the system. */
  chromiumResult: number;
}

export interface CertificateVerdict {
  verdict: (typeof VERDICT)[keyof typeof VERDICT];
  /** The CA the configured server presents, when it is not pinned yet (for the operator to trust). */
  offered?: { fingerprint: string; subject: string };
}

/** SHA-256 of a certificate's DER, as the server prints and shows it (AA:BB:…). */
export function certificateFingerprint(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex').toUpperCase().match(/../g)!.join(':');
}

const hostOf = (config: KioskConfig): string | null =>
  config.mode === 'remote' && config.serverUrl.startsWith('https:') ? new URL(config.serverUrl).hostname.replace(/^\[|\]$/g, '') : null;

/** The chain's CA that signed a leaf valid now for this host, or null. */
function signingCa(check: CertificateCheck, now: Date): { leaf: X509Certificate; ca: X509Certificate } | null {
  try {
    const [leaf, ...rest] = check.chain.map((pem) => new X509Certificate(pem));
    if (!leaf) return null;
    const inDate = new Date(leaf.validFrom) <= now && now <= new Date(leaf.validTo);
    const forHost = (leaf.checkHost(check.hostname) ?? leaf.checkIP(check.hostname)) !== undefined;
    const ca = rest.find((c) => c.ca && leaf.checkIssued(c) && leaf.verify(c.publicKey));
    return inDate && forHost && ca ? { leaf, ca } : null;
  } catch {
    return null;
  }
}

export function verifyCertificate(config: KioskConfig, check: CertificateCheck, now = new Date()): CertificateVerdict {
  const host = hostOf(config);
  if (host === null || check.hostname !== host) return { verdict: VERDICT.chromium };
  const pinned = config.mode === 'remote' ? config.caFingerprint : undefined;
  const signed = signingCa(check, now);
  if (pinned) return { verdict: signed && certificateFingerprint(signed.ca) === pinned ? VERDICT.accept : VERDICT.reject };
  if (check.chromiumResult === 0 || !signed) return { verdict: VERDICT.chromium };
  return {
    verdict: VERDICT.reject,
    offered: { fingerprint: certificateFingerprint(signed.ca), subject: signed.ca.subject.replace(/\n/g, ', ') },
  };
}
