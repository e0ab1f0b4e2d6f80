import { describe, expect, it } from 'vitest';
import { caDownloadUrl, isLoopback, lanOrigin, type TlsInfo } from '../../shared/lanAccess';
import { httpsOrigin, machineNames, sameNames } from '../../server/tls/machineNames';

const info: TlsInfo = {
  httpPort: 8080,
  httpsPort: 8443,
  origins: ['https://192.168.1.10:8443', 'https://laptop.local:8443'],
  caFingerprint: 'AA',
};

describe('the address given to another device', () => {
  it('is the HTTPS one on the host the page came from, or the first LAN address from this laptop', () => {
    expect(lanOrigin('http://localhost:8080', info)).toBe('https://192.168.1.10:8443');
    expect(lanOrigin('http://laptop.local:8080', info)).toBe('https://laptop.local:8443');
    expect(lanOrigin('https://sampling.lan:8443', info)).toBe('https://sampling.lan:8443');
    expect(lanOrigin('http://localhost:8080', { httpPort: 8080, httpsPort: null, origins: [], caFingerprint: null })).toBe(
      'http://localhost:8080',
    );
    expect(lanOrigin('http://localhost:8080', null)).toBe('http://localhost:8080');
  });

  it('downloads the CA over plain HTTP on the same host', () => {
    expect(caDownloadUrl('https://192.168.1.10:8443', info)).toBe('http://192.168.1.10:8080/api/tls/ca.crt');
  });

  it('knows loopback clients (the kiosk on the laptop) from LAN ones', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['192.168.1.5', '::ffff:10.0.0.2', 'fd00::2', undefined].some(isLoopback)).toBe(false);
  });
});

describe("the machine's names", () => {
  it('lists LAN IPv4 first, then host names and extra names, then IPv6 without link-local; loopback only in the certificate', () => {
    const names = machineNames(
      ['Sampling.LAN'],
      {
        lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '', mac: '', cidr: null }],
        wlan0: [
          { address: 'fe80::1', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 3 },
          { address: 'fd00::7', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 0 },
          { address: '192.168.1.10', family: 'IPv4', internal: false, netmask: '', mac: '', cidr: null },
        ],
      },
      'Laptop',
    );
    expect(names.lan).toEqual(['192.168.1.10', 'laptop', 'laptop.local', 'sampling.lan', 'fd00::7']);
    expect(names.all).toEqual([...names.lan, 'localhost', '127.0.0.1', '::1']);
    expect(httpsOrigin('fd00::7', 8443)).toBe('https://[fd00::7]:8443');
    expect(sameNames(['a', 'b'], ['b', 'a', 'a'])).toBe(true);
    expect(sameNames(['a'], ['a', 'c'])).toBe(false);
  });
});
