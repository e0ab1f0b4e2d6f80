// A volunteer hands the tablet on and logs out: the page is back at its PIN form and the token it held
// no longer works. Staff change the kiosk PIN on the staff page: the kiosk falls back to its PIN form
// and only the new PIN opens it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { API } from '../../shared/api';
import { launchBrowser, openSignedIn } from '../support/browser';
import { PINS, startSite, type TestSite } from '../support/testServer';

let browser: Browser;
// A site per test: PINs changed in one test stay out of the others.
const env = {} as { site: TestSite; browser: Browser };

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());
beforeEach(async () => {
  Object.assign(env, { site: await startSite('sqlite', { pages: true }), browser });
});
afterEach(() => env.site.close());

async function savedToken(page: Page, role: string): Promise<string> {
  const raw = await page.evaluate((key) => localStorage.getItem(key), `nat-queue.token.${role}`);
  return (JSON.parse(raw ?? '{}') as { token: string }).token;
}

describe('logout and PIN changes in the pages', () => {
  it('logs out of the volunteer page: back at the PIN form, and the old token is refused', async () => {
    const page = await env.browser.newPage({ viewport: { width: 768, height: 1024 } });
    await openSignedIn(page, `${env.site.url}/volunteer`, PINS.volunteer);
    await page.getByTestId('call-next').waitFor();
    const token = await savedToken(page, 'volunteer');
    expect((await fetch(env.site.url + API.renew, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    await page.getByTestId('logout').click();
    await page.getByTestId('pin-input').waitFor();
    await expect.poll(() => page.getByTestId('logout').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('nat-queue.token.volunteer'))).toBeNull();
    await expect
      .poll(async () => (await fetch(env.site.url + API.renew, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status)
      .toBe(401);
    await page.close();
  });

  it('staff change the kiosk PIN on the staff page: the open kiosk falls back to its PIN form, the new PIN opens it', async () => {
    const kiosk = await env.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await openSignedIn(kiosk, `${env.site.url}/kiosk?point=A`, PINS.kiosk);
    await kiosk.getByTestId('scan-input').waitFor();

    const staff = await env.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await openSignedIn(staff, `${env.site.url}/staff`, PINS.staff);
    const panel = staff.getByTestId('pin-change');
    await panel.waitFor();
    await panel.getByTestId('pin-new').fill('4680');
    await panel.getByTestId('pin-confirm').fill('4681');
    await expect.poll(() => panel.getByTestId('pin-submit-change').isDisabled()).toBe(true);
    await panel.getByTestId('pin-confirm').fill('4680');
    await panel.scrollIntoViewIfNeeded();
    await panel.getByTestId('pin-submit-change').click();
    await panel.getByTestId('pin-changed').waitFor();

    await kiosk.getByTestId('pin-input').waitFor();
    await kiosk.getByTestId('pin-input').fill(PINS.kiosk);
    await kiosk.getByTestId('pin-submit').click();
    await kiosk.getByRole('alert').waitFor();
    await kiosk.getByTestId('pin-input').fill('4680');
    await kiosk.getByTestId('pin-submit').click();
    await kiosk.getByTestId('scan-input').waitFor();

    // The staff page itself is still signed in.
    expect(await staff.getByTestId('pin-change').isVisible()).toBe(true);
    await kiosk.close();
    await staff.close();
  });

  it('changes the staff PIN with the current one, and the page that did it stays signed in', async () => {
    const staff = await env.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await openSignedIn(staff, `${env.site.url}/staff`, PINS.staff);
    const panel = staff.getByTestId('pin-change');
    await panel.getByTestId('pin-role-staff').check({ force: true });
    await panel.getByTestId('pin-current').fill('0000');
    await panel.getByTestId('pin-new').fill('97531');
    await panel.getByTestId('pin-confirm').fill('97531');
    await panel.getByTestId('pin-submit-change').click();
    await panel.getByRole('alert').waitFor();

    await panel.getByTestId('pin-current').fill(PINS.staff);
    await panel.getByTestId('pin-new').fill('97531');
    await panel.getByTestId('pin-confirm').fill('97531');
    await panel.getByTestId('pin-submit-change').click();
    await panel.getByTestId('pin-changed').waitFor();
    const token = await savedToken(staff, 'staff');
    expect((await fetch(env.site.url + API.buildings, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(await staff.getByTestId('pin-login').count()).toBe(0);
    await staff.close();
  });
});

describe('token renewal in the pages', () => {
  it('renews a token past a quarter of its life when the page connects, and keeps the session', async () => {
    const old = await env.site.server.tokens.login('volunteer', Date.now() - 5 * 3600_000);
    const context = await env.browser.newContext({ viewport: { width: 768, height: 1024 } });
    // As a tablet left signed in since the morning would have it.
    await context.addInitScript(
      (saved) => localStorage.setItem('nat-queue.token.volunteer', saved),
      JSON.stringify({ token: old.token, renewAt: 0 }),
    );
    const page = await context.newPage();
    await page.goto(`${env.site.url}/volunteer`);
    await page.getByTestId('call-next').waitFor();
    await expect.poll(() => savedToken(page, 'volunteer')).not.toBe(old.token);
    const renewed = await savedToken(page, 'volunteer');
    expect(renewed.split('.')[4]).toBe(old.token.split('.')[4]); // the same session
    expect((await fetch(env.site.url + API.renew, { method: 'POST', headers: { authorization: `Bearer ${renewed}` } })).status).toBe(200);
    await context.close();
  });
});
