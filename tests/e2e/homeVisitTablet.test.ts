import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { teamLinkPath } from '../../shared/homeTeams';
import { ROUNDS_API, type HomeVisit } from '../../shared/roundsApi';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { PINS, type TestSite } from '../support/testServer';
import { resident } from '../server/helpers';
import { createTeam, ok } from '../server/roundsHttp';

// A team at a sealed flat, on its tablet opened with the team's link: the list shows the household,
// the team scans both codes at the door, puts them in one tube, and the list marks them sampled.
// Staff hand out the link (and its QR) on the coverage page, and reissue it when a tablet is lost.

let site: TestSite;
let browser: Browser;
let env: BrowserSite;
let team2: string;
const family = [0, 1].map((i) => resident(i, ['sealed'], { building: '5', unit: '2', room: '801' }));
const neighbour = resident(2, [], { building: '5', unit: '2', room: '802' });

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv([...family, neighbour]))).status).toBe(200);
  team2 = await createTeam(site, '二队');
  const visits = await ok<HomeVisit[]>(site, ROUNDS_API.homeVisits);
  await ok(site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: visits.map((v) => v.id), team: '二队' } });
});

afterAll(async () => {
  await env?.close();
});

/** A tablet of its own (its own storage), opened with a team's link. */
async function tablet(url: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

describe('the home-sampling tablet', () => {
  it("opened with the team's link, samples a sealed household into one tube from scanned codes", async () => {
    const codes = (await site.codes('5')).flatMap((h) => h.members.map((m) => m.code));
    const page = await tablet(site.url + teamLinkPath(team2));
    await page.getByTestId('team-name').filter({ hasText: '二队' }).waitFor();
    // The credential leaves the address bar (and so the history) at once.
    expect(page.url()).not.toContain('team=');
    const household = page.getByTestId('home-household-5-2-801');
    await household.waitFor();
    expect(await household.locator('[data-status=pending]').count()).toBe(2);

    for (const code of codes.slice(0, 2)) {
      await page.getByTestId('home-scan').fill(code);
      await page.getByTestId('home-scan').press('Enter');
    }
    await page.locator('[data-testid=home-scanned] li').nth(1).waitFor();
    await page.getByTestId('home-tube').fill('HT0000001');
    await page.getByTestId('home-household').click();
    await page.getByTestId('home-done').filter({ hasText: 'HT0000001' }).waitFor();
    await household.locator('[data-status=done]').nth(1).waitFor();
    expect((await site.server.queue.snapshot()).counts.sampled).toBe(2);

    // Someone not on the team's list: the tablet learns no name. A reload keeps the team signed in.
    await page.reload();
    await page.getByTestId('team-name').filter({ hasText: '二队' }).waitFor();
    await page.getByTestId('home-scan').fill(neighbour.idNumber);
    await page.getByTestId('home-scan').press('Enter');
    const refusal = page.getByTestId('home-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).not.toContain(neighbour.name);
  });

  it("shows staff a team's link and QR on the coverage page; a reissued link signs the old tablet out", async () => {
    const staff = await browser.newPage();
    await openSignedIn(staff, `${site.url}/coverage`, PINS.staff);
    await staff.getByTestId('team-new-name').fill('三队');
    await staff.getByTestId('team-create').click();
    const shown = staff.getByTestId('team-link');
    await shown.locator('img').waitFor();
    const link = (await staff.getByTestId('team-link-url').textContent())!;
    expect(link).toContain('/home-visits#team=');
    expect(await staff.getByTestId('assign-team').locator('option', { hasText: '三队' }).count()).toBe(1);

    const old = await tablet(link);
    await old.getByTestId('team-name').filter({ hasText: '三队' }).waitFor();
    await old.getByText(/本组还没有分配|No home visits/).waitFor();

    staff.once('dialog', (d) => void d.accept());
    await staff.getByTestId('team-三队').getByTestId('team-reissue').click();
    await staff.getByTestId('team-link-url').filter({ hasNotText: link }).waitFor();
    const fresh = (await staff.getByTestId('team-link-url').textContent())!;

    await old.reload();
    await old.getByTestId('team-revoked').waitFor();
    const reopened = await tablet(fresh);
    await reopened.getByTestId('team-name').filter({ hasText: '三队' }).waitFor();
  });

  it('lets staff find one person for the list and take them off again', async () => {
    const page = await browser.newPage();
    await openSignedIn(page, `${site.url}/coverage`, PINS.staff);
    await page.getByTestId('visit-find').click();
    await page.getByTestId('search-input').fill('5-2-802');
    await page.getByTestId('search-add').click();
    // The click only starts the write: wait for the list to hold the person rather than read it once.
    const listed = async () => (await ok<HomeVisit[]>(site, ROUNDS_API.homeVisits)).find((v) => v.name === neighbour.name);
    await expect.poll(listed).toMatchObject({ reason: 'staff', status: 'pending' });
    const visit = (await listed())!;
    const row = page.getByTestId(`visit-${visit.id}`);
    await row.getByRole('button').click();
    await row.waitFor({ state: 'detached' });
    expect((await ok<HomeVisit[]>(site, ROUNDS_API.homeVisits)).map((v) => v.name)).not.toContain(neighbour.name);
  });
});
