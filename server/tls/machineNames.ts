// Every name and address a device on the site's network may use to reach this machine: the server
// certificate covers them all, and the staff page turns the LAN ones into links and QR codes.
import os from 'node:os';
import net from 'node:net';

/** The loopback names, always covered (the kiosk on this laptop may use HTTPS too). */
const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

export interface MachineNames {
  /** Addresses and names other devices use, best first: IPv4, host names, then IPv6. */
  lan: string[];
  /** Everything the certificate covers: the LAN names and the loopback ones. */
  all: string[];
}

/**
 * Non-internal IPv4 and IPv6 addresses (IPv6 link-local ones need a zone and cannot be in a URL a
 * tablet can use), the host name and its mDNS `.local` name, and the operator's extra names (TLS_HOSTS).
 */
export function machineNames(
  extra: readonly string[] = [],
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
  hostname: string = os.hostname(),
): MachineNames {
  const addresses = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal);
  const v4 = addresses.filter((i) => i.family === 'IPv4').map((i) => i.address);
  const v6 = addresses.filter((i) => i.family === 'IPv6' && !/^fe[89ab]/i.test(i.address)).map((i) => i.address);
  const host = hostname.trim().toLowerCase();
  const hosts = host && host !== 'localhost' ? [host, host.endsWith('.local') ? host : `${host}.local`] : [];
  const lan = unique([...v4, ...hosts, ...extra.map((e) => e.trim().toLowerCase()).filter(Boolean), ...v6]).filter(
    (n) => !LOOPBACK.includes(n),
  );
  return { lan, all: [...lan, ...LOOPBACK] };
}

/** Whether two lists name the same set (the certificate is reissued when they do not). */
export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const key = (l: readonly string[]) => [...new Set(l)].sort().join(' ');
  return key(a) === key(b);
}

/** The origin for a name: IPv6 addresses in brackets. */
export function httpsOrigin(name: string, port: number): string {
  const host = net.isIPv6(name) ? `[${name}]` : name;
  return port === 443 ? `https://${host}` : `https://${host}:${port}`;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
