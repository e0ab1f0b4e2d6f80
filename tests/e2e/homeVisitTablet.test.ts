import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { ROUNDS_API, type HomeVisit } from '../../shared/roundsApi';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { PINS, type TestSite } from '../support/testServer';
import { resident } from '../server/helpers';
import { ok } from '../server/roundsHttp';

// A team at a sealed flat, on its tablet: the list shows the household, the team scans both codes
// at the door, puts them in one tube, and the list marks them sampled.

let site: TestSite;
let browser: Browser;
let env: BrowserSite;
const family = [0, 1].map((i) => resident(i, ['sealed'], { building: '5', unit: '2', room: '801' }));
const neighbour = resident(2, [], { building: '5', unit: '2', room: '802' });

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv([...family, neighbour]))).status).toBe(200);
  const visits = await ok<HomeVisit[]>(site, ROUNDS_API.homeVisits);
  await ok(site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: visits.map((v) => v.id), team: '二队' } });
});

afterAll(async () => {
  await env?.close();
});

describe('the home-sampling tablet', () => {
  it('samples a sealed household into one tube from scanned codes', async () => {
    const codes = (await site.codes('5')).flatMap((h) => h.members.map((m) => m.code));
    const page = await browser.newPage();
    await openSignedIn(page, `${site.url}/home-visits`, PINS.volunteer);
    await page.getByTestId('team-input').fill('二队');
    await page.getByTestId('team-input').press('Enter');
    const household = page.getByTestId('home-household-5-2-801');
    await household.waitFor();
    expect(await household.locator('[data-status=pending]').count()).toBe(2);

    for (const code of codes) {
      await page.getByTestId('home-scan').fill(code);
      await page.getByTestId('home-scan').press('Enter');
    }
    await page.locator('[data-testid=home-scanned] li').nth(1).waitFor();
    await page.getByTestId('home-tube').fill('HT0000001');
    await page.getByTestId('home-household').click();
    await page.getByTestId('home-done').filter({ hasText: 'HT0000001' }).waitFor();
    await household.locator('[data-status=done]').nth(1).waitFor();
    expect((await site.server.queue.snapshot()).counts.sampled).toBe(2);
  });

  it('lets staff find one person for the list and take them off again', async () => {
    const page = await browser.newPage();
    await openSignedIn(page, `${site.url}/coverage`, PINS.staff);
    await page.getByTestId('visit-find').click();
    await page.getByTestId('search-input').fill('5-2-802');
    await page.getByTestId('search-add').click();
    const [visit] = (await ok<HomeVisit[]>(site, ROUNDS_API.homeVisits)).filter((v) => v.name === neighbour.name);
    expect(visit).toMatchObject({ reason: 'staff', status: 'pending' });
    const row = page.getByTestId(`visit-${visit.id}`);
    await row.getByRole('button').click();
    await row.waitFor({ state: 'detached' });
    expect((await ok<HomeVisit[]>(site, ROUNDS_API.homeVisits)).map((v) => v.name)).not.toContain(neighbour.name);
  });
});
