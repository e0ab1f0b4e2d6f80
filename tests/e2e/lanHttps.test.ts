// A tablet on the site's Wi-Fi opens the server by a LAN name over HTTPS: a secure page, so the camera
// works. Chromium resolves sampling.lan to this machine and trusts the site's own CA (by its public
// key, for this browser only); the certificate covers sampling.lan because the site names it (TLS_HOSTS).
import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { teamLinkPath } from '../../shared/homeTeams';
import { ROUNDS_API, type HomeVisit } from '../../shared/roundsApi';
import { launchBrowser, openSignedIn } from '../support/browser';
import { fakeCamera } from '../support/fakeCamera';
import { PINS, startSite, type TestSite } from '../support/testServer';
import { resident } from '../server/helpers';
import { createTeam, ok } from '../server/roundsHttp';

const HOST = 'sampling.lan';
const walkIn = resident(0, [], { building: '1', unit: '1', room: '101' });
const sealed = resident(1, ['sealed'], { building: '5', unit: '2', room: '801' });

let site: TestSite;
let origin: string;
let caSpki: string;
let team: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  site = await startSite('sqlite', { pages: true, https: { hosts: [HOST] } });
  origin = `https://${HOST}:${site.server.https!.port}`;
  const ca = new X509Certificate(site.server.https!.tls.ca!.cert);
  caSpki = createHash('sha256')
    .update(ca.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  expect((await site.importRoster(rosterCsv([walkIn, sealed]))).status).toBe(200);
  team = await createTeam(site, '一队');
  const visits = await ok<HomeVisit[]>(site, ROUNDS_API.homeVisits);
  await ok(site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: visits.map((v) => v.id), team: '一队' } });
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await site?.close();
});

/** A tablet's Chromium: sampling.lan is this machine, the site's CA is trusted, the camera shows this code. */
async function tablet(code: string): Promise<Browser> {
  const camera = fakeCamera(code);
  const browser = await launchBrowser([
    `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    `--ignore-certificate-errors-spki-list=${caSpki}`,
    ...camera.args,
  ]);
  cleanups.push(camera.remove, () => browser.close());
  return browser;
}

async function expectSecure(page: Page): Promise<void> {
  expect(await page.evaluate(() => ({ secure: window.isSecureContext, camera: !!navigator.mediaDevices?.getUserMedia }))).toEqual({
    secure: true,
    camera: true,
  });
}

/** Turns the camera on until the expected card shows (a starved machine may start html5-qrcode without decoding). */
async function scanWithCamera(page: Page, landed: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId('camera-toggle').click();
    await page.locator('[data-testid=camera-scan][data-state=on]').waitFor({ timeout: 30_000 });
    if (
      await landed().then(
        () => true,
        () => false,
      )
    )
      return;
    if (attempt === 3) throw new Error('the camera never read the code in 3 tries');
    await page.getByTestId('camera-toggle').click();
    await page.locator('[data-testid=camera-scan][data-state=off]').waitFor();
  }
}

const codeOf = async (building: string, name: string) =>
  (await site.codes(building)).flatMap((h) => h.members).find((m) => m.name === name)!.code;

describe('devices on the LAN over HTTPS', () => {
  it('a second kiosk at https://sampling.lan scans a code with the camera', async () => {
    const browser = await tablet(await codeOf('1', walkIn.name));
    const page = await browser.newPage();
    await openSignedIn(page, `${origin}/kiosk?point=A`, PINS.kiosk);
    await expectSecure(page);
    const card = page.locator('[data-testid=scan-outcome][data-kind=added]', { hasText: walkIn.name });
    await scanWithCamera(page, () => card.waitFor({ timeout: 20_000 }));
    expect(await card.getAttribute('data-via')).toBe('camera');
  }, 120_000);

  it("a home-sampling team's tablet opened with its link scans at the door with the camera", async () => {
    const browser = await tablet(await codeOf('5', sealed.name));
    const page = await browser.newPage();
    await page.goto(`${origin}${teamLinkPath(team)}`);
    await page.getByTestId('team-name').filter({ hasText: '一队' }).waitFor();
    await expectSecure(page);
    await scanWithCamera(page, () =>
      page.locator('[data-testid=home-scanned] li, [data-testid=home-error]').first().waitFor({ timeout: 20_000 }),
    );
    expect(await page.getByTestId('home-error').count()).toBe(0);
    expect(await page.getByTestId('home-scanned').textContent()).toContain(sealed.name);
  }, 120_000);

  it('staff see each page at the HTTPS address and the CA to install, and hand out team links on it', async () => {
    const browser = await tablet('no code');
    const page = await browser.newPage();
    // Staff on the server laptop itself: the links name the LAN address, not localhost.
    await openSignedIn(page, `${site.url}/staff`, PINS.staff);
    await page.getByTestId('devices-link').click();
    await page.getByTestId('devices-address').selectOption(origin);
    await expect
      .poll(() => page.getByTestId('devices-page-display').getByTestId('devices-page-url').textContent())
      .toBe(`${origin}/display`);
    expect(await page.getByTestId('devices-ca-fingerprint').textContent()).toBe(site.server.https!.tls.ca!.fingerprint);
    const download = await page.evaluate(async (path) => (await fetch(path)).text(), '/api/tls/ca.crt');
    expect(download).toBe(site.server.https!.tls.ca!.cert);

    // On the coverage page opened over HTTPS by a LAN name, a team's link keeps that name.
    await openSignedIn(page, `${origin}/coverage`, PINS.staff);
    await page.getByTestId(`team-一队`).getByTestId('team-show').click();
    await expect.poll(() => page.getByTestId('team-link-url').textContent()).toMatch(new RegExp(`^${origin}/home-visits#team=`));
  }, 120_000);
});
