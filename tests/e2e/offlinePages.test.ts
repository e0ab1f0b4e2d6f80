// The site's Wi-Fi drops and the server is out of reach: the installed pages (hall TV, a resident's
// phone) still load from the service worker's cache on a reload, say since when their data is
// stale, and catch up by themselves once the server is back on the same address.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { POLL_RETRY_MAX_MS } from '../../shared/poll';
import { openBrowserSite, openInstalled, type BrowserSite } from '../support/browser';
import { residents, scanAll } from '../server/helpers';

const PEOPLE = residents(0, 30);
const SHOTS = '/tmp';

let env: BrowserSite;
let codes: string[];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  env = await openBrowserSite();
  expect((await env.site.importRoster(rosterCsv(PEOPLE))).status).toBe(200);
  const byName = await env.site.codesByName('1');
  codes = PEOPLE.map((p) => byName.get(p.name)!);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await env?.close();
});

/** Ten people scanned at point A by a kiosk: one full group, waiting. */
async function groupOfTen(from: number): Promise<{ id: number; label: string }> {
  const kiosk = await env.site.connect('kiosk', `kiosk-${from}`);
  const placed = await scanAll(kiosk, codes.slice(from, from + 10));
  kiosk.socket.close();
  return placed.at(-1)!.group;
}

const installed = (
  url: string,
  viewport: { width: number; height: number },
  ready: (p: Page) => Promise<unknown>,
  copySaved?: () => boolean,
) =>
  openInstalled(env.browser, env.site.url + url, viewport, ready, copySaved).then((page) => {
    contexts.push(page.context());
    return page;
  });

describe('installed pages while the server is away', () => {
  it('reload from the cache with the server down, say since when, and resync when it returns', { timeout: 120_000 }, async () => {
    const first = await groupOfTen(0);
    const tv = await installed('/display', { width: 1920, height: 1080 }, (p) => p.getByTestId(`group-${first.label}`).waitFor());
    const tvEn = await installed('/display', { width: 1920, height: 1080 }, async (p) => {
      await p.getByTestId(`group-${first.label}`).waitFor();
      await p.waitForFunction(() => navigator.serviceWorker?.controller !== null);
      await p.locator('[data-testid=language-switch][lang=en]').click();
      await p.waitForFunction(() => document.documentElement.lang === 'en' && /\bgroups? waiting\b/.test(document.body.innerText));
    });
    // The phone polls its group's answer (no socket) and keeps the last one, for this group.
    const phone = await installed(
      `/turn/${first.id}`,
      { width: 390, height: 844 },
      (p) => p.getByTestId('turn').waitFor(),
      () =>
        (JSON.parse(localStorage.getItem('nat-queue.turn-copy') ?? 'null') as { data?: { state?: string } } | null)?.data?.state ===
        'waiting',
    );
    // A resident's phone costs the server no socket.
    expect(await phone.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/socket.io/')).length)).toBe(
      0,
    );

    await env.site.stop();
    // A screen that never saw the queue before the drop (its saved copy gone) shows the page and since when it is offline.
    await tvEn.evaluate(() => localStorage.removeItem('nat-queue.queue-copy'));
    for (const page of [tv, tvEn, phone]) await page.reload();

    // The TV: the last queue it saw, marked with the time it was last live.
    await tv.getByTestId('offline-banner').getByTestId('stale-since').waitFor();
    expect(await tv.getByTestId('stale-since').getAttribute('data-loaded')).toBe('true');
    await expect.poll(() => tv.getByTestId('offline-banner').textContent()).toMatch(/显示的是 \d\d:\d\d 的数据/);
    await tv.getByTestId(`group-${first.label}`).waitFor();
    await tv.screenshot({ path: `${SHOTS}/offline-display-zh.png` });

    await expect.poll(() => tvEn.getByTestId('offline-banner').textContent()).toMatch(/Cannot reach the server since \d\d:\d\d/);
    await tvEn.screenshot({ path: `${SHOTS}/offline-display-en.png` });

    // The phone: its group as last answered (its first question failed, so the kept copy), dated.
    await phone.locator('[data-testid=turn][data-state=waiting]').waitFor({ timeout: 10_000 });
    await phone
      .getByTestId('turn-connection')
      .getByTestId('stale-since')
      .filter({ hasText: /显示的是 \d\d:\d\d 的数据/ })
      .waitFor({ timeout: 10_000 });
    await phone.screenshot({ path: `${SHOTS}/offline-turn-zh.png` });

    // The server is back on the same address and data: every page catches up by itself.
    await env.site.start();
    const second = await groupOfTen(10);
    for (const page of [tv, tvEn]) {
      await page.getByTestId(`group-${second.label}`).waitFor({ timeout: 20_000 });
      await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    }
    // The phone asks again by itself (it waits longer after each failure, up to POLL_RETRY_MAX_MS).
    await phone
      .getByTestId('turn-connection')
      .filter({ hasText: '实时更新' })
      .waitFor({ timeout: POLL_RETRY_MAX_MS + 10_000 });
    await tv.screenshot({ path: `${SHOTS}/resynced-display-zh.png` });
  });
});
