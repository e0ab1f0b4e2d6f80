// The kiosk trusts the local CA of the server it is configured for, pinned by fingerprint, and no
// other certificate for that server; a CA not pinned yet is offered to the operator to compare.
import { describe, expect, it } from 'vitest';
import { certificateFingerprint, verifyCertificate, VERDICT } from '../../electron/certificatePolicy';
import { parseConfig } from '../../electron/kioskConfig';
import { createCa, issueServerCert } from '../../server/tls/localCa';
import { X509Certificate } from 'node:crypto';
import type { KioskConfig } from '../../shared/kioskShell';

const site = await createCa('laptop');
const served = await issueServerCert(site, ['192.168.1.10', 'laptop.local', 'localhost']);
const fp = certificateFingerprint(new X509Certificate(site.cert));
const pinned: KioskConfig = { mode: 'remote', serverUrl: 'https://192.168.1.10:8443', caFingerprint: fp };
const unpinned: KioskConfig = { mode: 'remote', serverUrl: 'https://192.168.1.10:8443' };
const check = (chain: string[], hostname = '192.168.1.10', chromiumResult = -202) => ({ hostname, chain, chromiumResult });

describe("the kiosk's HTTPS trust", () => {
  it("accepts the configured server's certificate signed by the pinned CA", () => {
    expect(verifyCertificate(pinned, check([served.cert, site.cert])).verdict).toBe(VERDICT.accept);
  });

  it('rejects any other certificate for that server, even one presenting the (public) pinned CA or a trusted one', async () => {
    const other = await createCa('attacker');
    const forged = await issueServerCert(other, ['192.168.1.10']);
    expect(verifyCertificate(pinned, check([forged.cert, site.cert])).verdict).toBe(VERDICT.reject);
    expect(verifyCertificate(pinned, check([forged.cert, other.cert], '192.168.1.10', 0)).verdict).toBe(VERDICT.reject);
    // The pinned CA's certificate, but for another name.
    expect(verifyCertificate(pinned, check([served.cert, site.cert], '192.168.1.99')).verdict).toBe(VERDICT.chromium);
    const wrongHost = await issueServerCert(site, ['10.0.0.1']);
    expect(verifyCertificate(pinned, check([wrongHost.cert, site.cert])).verdict).toBe(VERDICT.reject);
    // Expired.
    expect(verifyCertificate(pinned, check([served.cert, site.cert]), new Date(Date.now() + 400 * 86_400_000)).verdict).toBe(
      VERDICT.reject,
    );
  });

  it('leaves other hosts and plain-HTTP or hosted configs to Chromium', () => {
    expect(verifyCertificate(pinned, check([served.cert, site.cert], 'example.org')).verdict).toBe(VERDICT.chromium);
    expect(verifyCertificate({ mode: 'remote', serverUrl: 'http://192.168.1.10:8080' }, check([served.cert, site.cert])).verdict).toBe(
      VERDICT.chromium,
    );
    expect(verifyCertificate({ mode: 'host', port: 8080, dataDir: '/d' }, check([served.cert, site.cert])).verdict).toBe(VERDICT.chromium);
  });

  it('offers an unpinned local CA to the operator (and refuses it until trusted); a publicly trusted one passes', () => {
    expect(verifyCertificate(unpinned, check([served.cert, site.cert]))).toEqual({
      verdict: VERDICT.reject,
      offered: { fingerprint: fp, subject: expect.stringContaining('nat-queue local CA (laptop)') },
    });
    expect(verifyCertificate(unpinned, check([served.cert, site.cert], '192.168.1.10', 0)).verdict).toBe(VERDICT.chromium);
  });

  it('keeps the fingerprint in the config, for https servers only', () => {
    expect(parseConfig({ ...pinned, caFingerprint: fp.toLowerCase() })).toEqual({ ok: true, config: pinned });
    expect(parseConfig({ ...pinned, caFingerprint: 'AB:CD' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('32 pairs of hex digits'),
    });
    expect(parseConfig({ mode: 'remote', serverUrl: 'http://192.168.1.10:8080', caFingerprint: fp })).toMatchObject({
      ok: false,
      error: expect.stringContaining('https://'),
    });
  });
});
