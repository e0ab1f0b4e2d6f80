// The hall TV on a busy morning: three calls, a sampling desk, eight groups waiting, a notice and
// the server gone. Everything fits on one screen at 1080p and 720p, in both languages, at sizes
// readable from 5 m; with two points, each call says whose desk it is ("A 点 1 号台").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { ROUNDS_API } from '../../shared/roundsApi';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { newKey, PINS } from '../support/testServer';
import { call } from '../server/roundsHttp';
import { callNext, groupAction, ok, residents } from '../server/helpers';

const POOL = 5;
const PEOPLE = residents(0, 14 * POOL);
let env: BrowserSite;
let page: Page;
let tablet: Page;

/** What overflows and how big the text is, as the page lays it out now. */
async function measure(p: Page) {
  return p.evaluate(() => {
    const size = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
    const all = (sel: string) => [...document.querySelectorAll(sel)];
    return {
      scrollHeight: document.documentElement.scrollHeight,
      scrollWidth: document.documentElement.scrollWidth,
      innerHeight,
      innerWidth,
      calls: all('.display-called .display-group-text').map(size),
      next: all('.display-next .display-group').map(size),
      counts: all('[data-testid=counts] > span').map(size),
      // Everything the screen shows lies inside the viewport.
      // (A closed settings panel is not shown, wherever it would open.)
      outside: all('.display *')
        .filter((el) => !el.closest('details:not([open]) > :not(summary)'))
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.height > 0 && (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5);
        })
        .map((el) => el.className || el.tagName),
    };
  });
}

beforeAll(async () => {
  env = await openBrowserSite();
  const { site } = env;
  expect((await site.importRoster(rosterCsv(PEOPLE))).status).toBe(200);
  // Two points, small pools: fourteen groups from seventy people.
  const points = [
    { code: 'A', name: '东门', poolSize: POOL },
    { code: 'B', name: '西门', poolSize: POOL },
  ];
  expect(
    (await call(site, ROUNDS_API.rounds, { json: { key: newKey(), name: '第二轮', date: '2026-12-01', points } })).status,
  ).toBeLessThan(300);
  const codes = await site.codesByName('1');
  const kiosk = await site.connect('kiosk', 'kiosk-1');
  const volunteer = await site.connect('volunteer', 'tablet-1');
  for (let g = 0; g < 14; g++) {
    const point = g % 2 === 0 ? 'A' : 'B';
    const group = PEOPLE.slice(g * POOL, (g + 1) * POOL).map((p) => codes.get(p.name)!);
    for (const code of group) ok(await kiosk.socket.timeout(10_000).emitWithAck('scan', { key: newKey(), point, input: code }));
  }
  ok(await volunteer.socket.timeout(10_000).emitWithAck('hall:settings', { key: newKey(), point: 'A', capacity: null, desks: 3 }));
  // One group at desk A1 is being sampled; then A2, A3 and B1 are called.
  const first = ok(await callNext(volunteer, { point: 'A' }))!;
  ok(await groupAction(kiosk, { groupId: first.id, action: 'start', tubeCode: 'TUBE-0001' }));
  for (const point of ['A', 'A', 'B']) expect(ok(await callNext(volunteer, { point }))).not.toBeNull();
  ok(
    await volunteer.socket.timeout(10_000).emitWithAck('hall:announce', {
      key: newKey(),
      text: '请各位居民保持一米间距，提前打开健康码和居民码，未满十四岁的儿童请由家长陪同排队，谢谢配合',
    }),
  );

  page = await (await env.browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(`${site.url}/display`);
  await page
    .getByRole('region', { name: '正在叫号' })
    .getByTestId(/^group-/)
    .nth(2)
    .waitFor({ timeout: 10_000 });
  await page.getByTestId('announcement').waitFor({ timeout: 5000 });
  // English is fetched when first chosen: choose it once while the server is still up.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByTestId('counts').filter({ hasText: 'waiting' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: '中文' }).click();
  tablet = await openSignedIn(
    await (await env.browser.newContext({ viewport: { width: 768, height: 1024 } })).newPage(),
    `${site.url}/volunteer?point=B`,
    PINS.volunteer,
  );
  await tablet.getByTestId('vgroup-B-006').waitFor({ timeout: 10_000 });
  await site.stop();
  await page
    .getByTestId('offline-banner')
    .filter({ hasText: /\d\d:\d\d/ })
    .waitFor({ timeout: 10_000 });
});

afterAll(async () => {
  await env?.close();
});

describe('the hall display on one screen', () => {
  it('says whose desk each call goes to when two points share the screen', async () => {
    // In Chinese, whichever language a story before this one left the screen in.
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.getByTestId('counts').textContent(), { timeout: 10_000 }).toMatch(/等待/);
    const calls = page.getByRole('region', { name: '正在叫号' });
    // Desk 1 at both points: B's call and A's sampling group each name their point.
    await expect.poll(() => calls.textContent()).toContain('B 点 1 号台');
    expect(await calls.textContent()).toContain('A 点 2 号台');
    expect(await page.getByRole('region', { name: '正在采样' }).textContent()).toContain('A 点 1 号台 · A-001');
  });

  it('counts on the volunteer tablet only the groups of its point, as its list does', async () => {
    // Ten groups wait in all: six at B, four at A.
    expect(await tablet.getByTestId('point-waiting').textContent()).toBe('等待 6 组');
    await tablet.getByRole('combobox', { name: '采样点' }).selectOption('A');
    await expect.poll(() => tablet.getByTestId('point-waiting').textContent()).toBe('等待 4 组');
    if (process.env.SCREENSHOTS) await tablet.screenshot({ path: `${process.env.SCREENSHOTS}/volunteer-768.png`, fullPage: true });
  });

  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
  ]) {
    for (const lang of ['中文', 'English']) {
      it(`fits ${width}x${height} in ${lang} with 3 calls, 8 next groups, a notice and the offline banner, in large type`, async () => {
        await page.setViewportSize({ width, height });
        await page.getByRole('button', { name: lang }).click();
        // English is loaded when first chosen.
        await expect
          .poll(() => page.getByTestId('counts').textContent(), { timeout: 10_000 })
          .toMatch(lang === 'English' ? /waiting/ : /等待/);
        const m = await measure(page);
        if (process.env.SCREENSHOTS)
          await page.screenshot({ path: `${process.env.SCREENSHOTS}/display-${width}-${lang === 'English' ? 'en' : 'zh'}.png` });
        expect(m.calls).toHaveLength(3);
        expect(m.next).toHaveLength(8);
        expect(m.outside).toEqual([]);
        expect(m.scrollHeight).toBeLessThanOrEqual(m.innerHeight);
        expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
        for (const s of m.calls) expect(s).toBeGreaterThanOrEqual(120);
        for (const s of m.next) expect(s).toBeGreaterThanOrEqual(64);
        for (const s of m.counts) expect(s).toBeGreaterThanOrEqual(48);
      });
    }
  }
});
