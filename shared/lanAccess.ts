// How devices on the site's Wi-Fi reach the server: its HTTPS addresses and the local certificate
// authority they must trust. Shared by the server (GET /api/tls) and the pages that hand out links.

export const TLS_INFO_PATH = '/api/tls';
/** The local CA certificate (public information): devices install it to trust the server. */
export const CA_CERT_PATH = '/api/tls/ca.crt';

export interface TlsInfo {
  /** The plain HTTP port (the CA certificate is fetched there before HTTPS is trusted). */
  httpPort: number;
  /** The HTTPS port, or null when the server serves plain HTTP only (HTTPS_PORT=off). */
  httpsPort: number | null;
  /** https://<address>:<port> for every LAN address and name of the server, best first. */
  origins: string[];
  /** SHA-256 of the local CA (AA:BB:…), or null when the certificate comes from TLS_CERT/TLS_KEY. */
  caFingerprint: string | null;
}

/**
 * The origin to give another device: the page's own when it is already on HTTPS, the HTTPS origin on
 * the same host when the page came over plain HTTP on a LAN address, else (localhost: the kiosk laptop)
 * the server's first LAN address. Without HTTPS the page's own origin is all there is.
 */
export function lanOrigin(pageOrigin: string, info: TlsInfo | null): string {
  const page = new URL(pageOrigin);
  if (!info?.httpsPort || page.protocol === 'https:') return page.origin;
  const sameHost = info.origins.find((o) => new URL(o).hostname === page.hostname);
  return sameHost ?? info.origins[0] ?? page.origin;
}

/** Loopback addresses: the kiosk on the server's own laptop, which may keep plain HTTP. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** Where a device that does not trust the CA yet downloads it: plain HTTP, so no certificate warning stands in the way. */
export function caDownloadUrl(origin: string, info: TlsInfo): string {
  const url = new URL(CA_CERT_PATH, origin);
  url.protocol = 'http:';
  url.port = String(info.httpPort);
  return url.toString();
}
