// The kiosk window against Electron's security checklist: a page that is not the configured server's
// (reached by a link, a redirect or an injected script) cannot use the shell, repoint the kiosk, take the
// window elsewhere or get the camera.
import { describe, expect, it } from 'vitest';
import { connectingPage, dataUrl } from '../../electron/connectingPage';
import { defaultConfig } from '../../electron/kioskConfig';
import { WindowPolicy } from '../../electron/windowPolicy';

const remote = () => new WindowPolicy({ mode: 'remote', serverUrl: 'http://192.168.1.10:8080' });
const main = (url: string) => ({ url, isMainFrame: true });
const connecting = dataUrl(
  connectingPage({
    target: 'http://192.168.1.10:8080',
    config: { mode: 'remote', serverUrl: 'http://192.168.1.10:8080' },
    problem: null,
    hostConfig: defaultConfig('/tmp/kiosk'),
  }),
);

describe('who may use the kiosk shell', () => {
  it('lets the configured server print and read the config, but not repoint the kiosk', () => {
    const policy = remote();
    const kiosk = main('http://192.168.1.10:8080/kiosk?point=A');
    expect(policy.allowsCall('printSilently', kiosk)).toBe(true);
    expect(policy.allowsCall('config', kiosk)).toBe(true);
    expect(policy.allowsCall('setConfig', kiosk)).toBe(false);
  });

  it("lets the shell's own connecting page repoint the kiosk, and nothing else", () => {
    const policy = remote();
    expect(policy.allowsCall('setConfig', main(connecting))).toBe(false);
    policy.showingConnectingPage(connecting);
    expect(policy.allowsCall('setConfig', main(connecting))).toBe(true);
    expect(policy.allowsCall('config', main(connecting))).toBe(true);
    expect(policy.allowsCall('printSilently', main(connecting))).toBe(false);
    // Another data: page (not the one the shell wrote) is a stranger.
    const forged = dataUrl('<script>natq.setConfig({ mode: "remote", serverUrl: "http://evil.example" })</script>');
    expect(policy.allowsCall('setConfig', main(forged))).toBe(false);
    expect(policy.allowsCall('config', main(forged))).toBe(false);
    // Shown again with news (a start-up problem), the page the shell replaced no longer counts.
    const updated = dataUrl(
      connectingPage({
        target: 'http://192.168.1.10:8080',
        config: { mode: 'remote', serverUrl: 'http://192.168.1.10:8080' },
        problem: 'the server sent the kiosk to http://evil.example',
        hostConfig: defaultConfig('/tmp/kiosk'),
      }),
    );
    policy.showingConnectingPage(updated);
    expect(policy.allowsCall('setConfig', main(updated))).toBe(true);
    expect(policy.allowsCall('setConfig', main(connecting))).toBe(false);
  });

  it('answers no other site, look-alike origin or frame inside a page', () => {
    const policy = remote();
    policy.showingConnectingPage(connecting);
    for (const url of [
      'http://evil.example/kiosk',
      'https://192.168.1.10:8080/kiosk',
      'http://192.168.1.10:8081/kiosk',
      'http://192.168.1.10.evil.example:8080/',
      'http://192.168.1.10:8080@evil.example/',
      'file:///etc/passwd',
      'about:blank',
      'not a url',
    ]) {
      for (const call of ['config', 'setConfig', 'printSilently'] as const)
        expect(policy.allowsCall(call, main(url)), `${call} from ${url}`).toBe(false);
    }
    expect(policy.allowsCall('printSilently', { url: 'http://192.168.1.10:8080/kiosk', isMainFrame: false })).toBe(false);
    expect(policy.allowsCall('setConfig', { url: connecting, isMainFrame: false })).toBe(false);
    // A frame gone before the call is answered is nobody.
    expect(policy.allowsCall('printSilently', null)).toBe(false);
  });

  it('trusts the server this laptop hosts, on the configured port', () => {
    const policy = new WindowPolicy({ mode: 'host', port: 9000, dataDir: '/srv/natq' });
    expect(policy.serverOrigin).toBe('http://127.0.0.1:9000');
    expect(policy.allowsCall('printSilently', main('http://127.0.0.1:9000/kiosk'))).toBe(true);
    expect(policy.allowsCall('printSilently', main('http://127.0.0.1:8080/kiosk'))).toBe(false);
  });
});

describe('where the kiosk window may go', () => {
  it('follows links and redirects on the configured server only', () => {
    const policy = new WindowPolicy({ mode: 'remote', serverUrl: 'https://natq.example.org/point' });
    expect(policy.allowsNavigation('https://natq.example.org/kiosk?point=B')).toBe(true);
    expect(policy.allowsNavigation('https://natq.example.org:443/display')).toBe(true);
    for (const url of [
      'http://natq.example.org/kiosk',
      'https://evil.example/',
      'https://natq.example.org.evil.example/',
      'data:text/html,<h1>hi</h1>',
      'javascript:alert(1)',
      'file:///etc/passwd',
      '',
    ]) {
      expect(policy.allowsNavigation(url), url).toBe(false);
    }
  });
});

describe('what the pages may ask for', () => {
  it('gives the camera to the configured server, never the microphone', () => {
    const policy = remote();
    expect(policy.allowsPermission('media', { requestingUrl: 'http://192.168.1.10:8080/kiosk', mediaTypes: ['video'] })).toBe(true);
    // Permission checks name the origin only.
    expect(policy.allowsPermission('media', { requestingUrl: 'http://192.168.1.10:8080', mediaTypes: ['video'] })).toBe(true);
    expect(policy.allowsPermission('media', { requestingUrl: 'http://192.168.1.10:8080/kiosk', mediaTypes: ['video', 'audio'] })).toBe(
      false,
    );
    expect(policy.allowsPermission('media', { requestingUrl: 'http://192.168.1.10:8080/kiosk', mediaTypes: ['audio'] })).toBe(false);
    expect(policy.allowsPermission('media', { requestingUrl: 'http://192.168.1.10:8080/kiosk' })).toBe(false);
    expect(policy.allowsPermission('clipboard-sanitized-write', { requestingUrl: 'http://192.168.1.10:8080/coverage' })).toBe(true);
  });

  it('refuses every permission to other origins and everything else to the server', () => {
    const policy = remote();
    expect(policy.allowsPermission('media', { requestingUrl: 'http://evil.example/', mediaTypes: ['video'] })).toBe(false);
    expect(policy.allowsPermission('media', { requestingUrl: connecting, mediaTypes: ['video'] })).toBe(false);
    for (const permission of [
      'geolocation',
      'notifications',
      'openExternal',
      'display-capture',
      'clipboard-read',
      'hid',
      'serial',
      'usb',
      'fileSystem',
      'unknown',
    ]) {
      expect(policy.allowsPermission(permission, { requestingUrl: 'http://192.168.1.10:8080/kiosk' }), permission).toBe(false);
    }
  });
});

describe('the connecting page', () => {
  it('runs only its own inline script and style, and cannot submit its form anywhere', () => {
    const html = Buffer.from(connecting.split(',')[1]!, 'base64').toString('utf8');
    expect(connecting.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    expect(html).toContain('服务器地址 · Server address');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none';[^"]*form-action 'none'/);
  });
});
