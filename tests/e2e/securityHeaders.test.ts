// Every page works under the server's Content-Security-Policy (no eval, no inline script, the camera, the
// live socket), and no other site can put a page of ours inside a frame.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { launchBrowser, openSignedIn } from '../support/browser';
import { PINS, startSite, type TestSite } from '../support/testServer';
import { residents } from '../server/helpers';

let site: TestSite;
let browser: Browser;

beforeAll(async () => {
  site = await startSite('sqlite', { pages: true });
  expect((await site.importRoster(rosterCsv(residents(0, 12)))).status).toBe(200);
  // Chromium's fake camera (a test pattern), so the kiosk's camera starts under the policy too.
  browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A page that records every policy violation, from the DOM event and from the console. */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const page = await (await browser.newContext()).newPage();
  const logged: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) logged.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  return {
    page,
    violations: async () => [...logged, ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))],
  };
}

describe('security headers', () => {
  it('sends the policy, frame-ancestors none and no HTTPS-only headers, on pages and API answers alike', async () => {
    for (const path of ['/display', '/api/health', '/api/buildings']) {
      const res = await fetch(site.url + path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("connect-src 'self' ws: wss:");
      // The site is often plain HTTP on a LAN address: nothing may push the browser to HTTPS.
      expect(csp, path).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it.each([
    ['/display', null, 'clock'],
    ['/kiosk?point=A', PINS.kiosk, 'scan-input'],
    ['/volunteer', PINS.volunteer, 'call-next'],
    ['/home-visits', null, 'team-signed-out'],
    ['/staff', PINS.staff, 'coverage-link'],
    ['/coverage', PINS.staff, 'coverage-totals'],
    ['/lab', PINS.staff, 'audit-csv'],
    ['/turn/1', null, 'turn-connection'],
  ])('renders %s with no policy violation', async (path, pin, ready) => {
    const { page, violations } = await watchedPage();
    if (pin) await openSignedIn(page, site.url + path, pin);
    else await page.goto(site.url + path);
    await page.getByTestId(ready).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('starts the kiosk camera and the live socket with no policy violation', async () => {
    const { page, violations } = await watchedPage();
    await openSignedIn(page, `${site.url}/kiosk?point=A`, PINS.kiosk);
    await page.getByTestId('camera-toggle').click();
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const video = document.querySelector('video');
            return video !== null && video.readyState >= 2 && !video.paused;
          }),
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('refuses to be framed by another site', async () => {
    const page = await (await browser.newContext()).newPage();
    const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
    await page.setContent(`<iframe src="${site.url}/display"></iframe>`);
    expect((await refused).text()).toMatch(/frame-ancestors 'none'/);
    await page.context().close();
  });
});
