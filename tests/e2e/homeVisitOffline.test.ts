// A home-sampling team's tablet loses the site's Wi-Fi: reloaded while the server is away, the page
// still opens (service worker), shows the list it kept with the time it was last read, and reads it
// again by itself once the server answers; a tablet that never read its list says since when it is offline.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { teamLinkPath } from '../../shared/homeTeams';
import { ROUNDS_API, type HomeVisit } from '../../shared/roundsApi';
import { openBrowserSite, openInstalled, type BrowserSite } from '../support/browser';
import { resident } from '../server/helpers';
import { createTeam, ok } from '../server/roundsHttp';

const SHOTS = '/tmp/shots-phone';
const family = [0, 1].map((i) => resident(i, ['sealed'], { building: '5', unit: '2', room: '801' }));
/** The page retries every 5 s, doubled after each failure, up to 30 s. */
const RESYNC = { timeout: 40_000 };

let env: BrowserSite;
let link: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  env = await openBrowserSite();
  expect((await env.site.importRoster(rosterCsv(family))).status).toBe(200);
  link = teamLinkPath(await createTeam(env.site, '二队'));
  const visits = await ok<HomeVisit[]>(env.site, ROUNDS_API.homeVisits);
  await ok(env.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: visits.map((v) => v.id), team: '二队' } });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await env?.close();
});

async function tablet(viewport: { width: number; height: number }): Promise<Page> {
  const page = await openInstalled(
    env.browser,
    env.site.url + link,
    viewport,
    (p) => p.getByTestId('home-household-5-2-801').waitFor(),
    () => localStorage.getItem('nat-queue.home-visits-copy') !== null,
  );
  contexts.push(page.context());
  return page;
}

describe('the home-visit tablet while the server is away', () => {
  it(
    'reloads with its kept list and since when, and reads the list again by itself when the server is back',
    { timeout: 120_000 },
    async () => {
      const page = await tablet({ width: 768, height: 1024 });
      const phone = await tablet({ width: 390, height: 844 });
      // This one forgets its kept list: after the reload it has nothing to show but since when it is offline.
      await phone.evaluate(() => localStorage.removeItem('nat-queue.home-visits-copy'));

      await env.site.stop();
      for (const p of [page, phone]) await p.reload();
      await page
        .getByTestId('home-offline')
        .filter({ hasText: /显示的是 \d\d:\d\d 的数据/ })
        .waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('home-household-5-2-801').locator('[data-status=pending]').count()).toBe(2);
      expect(await page.getByTestId('team-name').textContent()).toBe('二队');
      await phone
        .getByTestId('home-offline')
        .filter({ hasText: /无法连接服务器（\d\d:\d\d 起）/ })
        .waitFor({ timeout: 10_000 });
      expect(await phone.getByTestId('home-household-5-2-801').count()).toBe(0);
      expect(await page.getByTestId('home-error').count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}/home-visits-offline-768-zh.png` });
      await phone.screenshot({ path: `${SHOTS}/home-visits-offline-390-zh.png` });

      // Back on the same address and data: both read the list by themselves.
      await env.site.start();
      for (const p of [page, phone]) {
        await p.getByTestId('home-offline').waitFor({ state: 'detached', ...RESYNC });
        await p.getByTestId('home-household-5-2-801').waitFor();
        await p.getByTestId('team-name').filter({ hasText: '二队' }).waitFor();
      }
      // Signing out takes the kept list off the tablet.
      await page.getByTestId('team-sign-out').click();
      expect(await page.evaluate(() => localStorage.getItem('nat-queue.home-visits-copy'))).toBeNull();
    },
  );
});
