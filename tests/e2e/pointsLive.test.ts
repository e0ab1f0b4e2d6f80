import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CROWDING_PATH } from '../../shared/crowdingApi';
import { ROUNDS_API } from '../../shared/roundsApi';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { POLL_RETRY_MAX_MS } from '../../shared/poll';
import { POINTS_POLL_S } from '../../shared/pointsView';
import { openBrowserSite, openInstalled, type BrowserSite } from '../support/browser';
import { newKey, type Listener, type TestSite } from '../support/testServer';
import { added, groupAction, ok as okReply, residents, scan } from '../server/helpers';
import { ok } from '../server/roundsHttp';

// A resident on their phone chooses where to go: /points shows each point's line, wait and
// crowding word, live as the kiosks scan (it polls GET /api/points, no socket); the hall display
// carries the same panel; with the server away the phone says since when its figures are stale.

let env: BrowserSite;
let site: TestSite;
let browser: Browser;
let kiosk: Listener;
const people = residents(0, 12);
const codes = new Map<string, string>();
const SHOTS = process.env.NATQ_SHOTS;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv(people))).status).toBe(200);
  for (const h of await site.codes('1')) for (const m of h.members) codes.set(m.name, m.code);
  await ok(site, ROUNDS_API.rounds, {
    json: {
      key: newKey(),
      name: '12月1日',
      date: '2026-12-01',
      points: [
        { code: 'A', name: '东门广场', poolSize: 1 },
        { code: 'B', name: '西门篮球场', poolSize: 10 },
      ],
    },
  });
  // Building 1 is invited to A for this hour (staggered schedule).
  const now = Date.now();
  await ok(site, ROUNDS_API.schedule, {
    json: {
      slots: [{ building: '1', point: 'A', start: new Date(now - 600_000).toISOString(), end: new Date(now + 3_000_000).toISOString() }],
    },
  });
  kiosk = await site.connect('kiosk');
});
afterAll(async () => {
  await env?.close();
});

async function scanAt(i: number, point: string) {
  return added(await scan(kiosk, codes.get(people[i].name) as string, { point }));
}

/** One single tube sampled at A: scanned, opened, sealed (seal times make the pace). */
async function sampleAtA(i: number): Promise<void> {
  const g = await scanAt(i, 'A');
  okReply(await groupAction(kiosk, { groupId: g.group.id, action: 'start', tubeCode: `TUBE-A${i}00` }));
  okReply(await groupAction(kiosk, { groupId: g.group.id, action: 'seal' }));
}

async function pointsPage(locale: 'zh-CN' | 'en'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
  await page.goto(`${site.url}/points`);
  return page;
}

const row = (page: Page, point: string) => page.locator(`[data-testid=point-status][data-point=${point}]`);

describe('where to go now', () => {
  it('shows each point and its crowding word, and follows every scan live', { timeout: 90_000 }, async () => {
    for (const i of [0, 1, 2]) await sampleAtA(i);
    // A small site: busy from 1 minute, crowded from 2 (the pace of three quick seals is fractions of a minute per group).
    await ok(site, CROWDING_PATH, { json: { key: newKey(), busyMinutes: 1, jammedMinutes: 2 } });

    const page = await pointsPage('zh-CN');
    await row(page, 'A').and(page.locator('[data-in-line="0"][data-level=clear]')).waitFor();
    // A resident's phone costs the server no socket.
    expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/socket.io/')).length)).toBe(
      0,
    );
    expect(await row(page, 'A').textContent()).toContain('东门广场');
    expect(await row(page, 'A').textContent()).toContain('畅通');
    expect(await row(page, 'B').getAttribute('data-level')).toBe('');
    expect(await row(page, 'B').textContent()).toContain('暂无估计');
    expect(await page.getByTestId('invited-buildings').getAttribute('data-buildings')).toBe('1');

    // Two people wait at A: their groups go first, so a newcomer now waits a minute — busy.
    const started = Date.now();
    await scanAt(3, 'A');
    await row(page, 'A').and(page.locator('[data-in-line="1"]')).waitFor();
    const latency = Date.now() - started;
    await scanAt(4, 'A');
    await row(page, 'A').and(page.locator('[data-in-line="2"][data-level=busy]')).waitFor();
    expect(await row(page, 'A').textContent()).toContain('忙碌');
    await scanAt(5, 'B');
    await row(page, 'B').and(page.locator('[data-in-line="1"]')).waitFor();
    console.log(`/points showed a scan ${latency} ms after the kiosk's ack (it asks every ${POINTS_POLL_S} s)`);

    // Nothing personal reaches the page: no names, not even masked ones, no ID numbers.
    const text = (await page.textContent('body')) ?? '';
    for (const p of people.slice(0, 6)) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.idNumber.slice(-6));
    }
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/points-phone-zh.png`, fullPage: true });

    // Staff move the thresholds: the word changes on the open page without a reload.
    await ok(site, CROWDING_PATH, { json: { key: newKey(), busyMinutes: 5, jammedMinutes: 10 } });
    await row(page, 'A').and(page.locator('[data-level=clear]')).waitFor();
    await page.close();

    const en = await pointsPage('en');
    await row(en, 'A').and(en.locator('[data-in-line="2"]')).waitFor();
    expect(await row(en, 'A').textContent()).toContain('2 in line');
    if (SHOTS) await en.screenshot({ path: `${SHOTS}/points-phone-en.png`, fullPage: true });
    await en.close();
  });

  it('puts the same panel on the hall display, beside the calls', { timeout: 90_000 }, async () => {
    // Someone in line at each point, whatever the other story left there.
    const mine = [await scanAt(6, 'A'), await scanAt(7, 'B')];
    const inLine = (page: Page, point: string) => row(page, point).getAttribute('data-in-line');
    for (const locale of ['zh-CN', 'en'] as const) {
      // The TV's snapshot is taken on connect, after both scans: it counts them.
      const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await tv.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
      await tv.goto(`${site.url}/display`);
      for (const point of ['A', 'B']) await row(tv, point).and(tv.locator('[data-in-line]:not([data-in-line="0"])')).waitFor();
      if (SHOTS) await tv.screenshot({ path: `${SHOTS}/points-display-${locale}.png` });
      // The phone's figures come from a snapshot at most a second old, asked for every 5 s: they catch up with the TV's.
      const phone = await pointsPage(locale);
      for (const point of ['A', 'B']) {
        const expected = await inLine(tv, point);
        await expect.poll(() => inLine(phone, point), { timeout: 15_000 }).toBe(expected);
      }
      await Promise.all([tv.close(), phone.close()]);
    }
    // Withdrawn again (no seal, so no pace changes): the other story finds the lines as they were.
    for (const m of mine) okReply(await groupAction(kiosk, { groupId: m.group.id, action: 'cancel' }));
  });

  it(
    'says since when its figures are stale while the server is away, after a reload too, and catches up by itself',
    { timeout: 180_000 },
    async () => {
      const zh = await openInstalled(
        browser,
        `${site.url}/points`,
        { width: 390, height: 844 },
        (p) => row(p, 'A').and(p.locator('[data-in-line="2"]')).waitFor(),
        () => localStorage.getItem('nat-queue.points-copy') !== null,
      );
      const en = await pointsPage('en');
      await row(en, 'A').and(en.locator('[data-in-line="2"]')).waitFor();

      await site.stop();
      // The open English page: its figures stay, marked with the time they were last live.
      await en
        .getByTestId('points-connection')
        .getByTestId('stale-since')
        .filter({ hasText: /showing data from \d\d:\d\d/ })
        .waitFor({ timeout: 30_000 });
      expect(await row(en, 'A').getAttribute('data-in-line')).toBe('2');
      if (SHOTS) await en.screenshot({ path: `${SHOTS}/points-offline-en.png`, fullPage: true });
      // The installed Chinese page, reloaded with the server down: the copy it kept, dated.
      await zh.reload();
      await zh
        .getByTestId('points-connection')
        .getByTestId('stale-since')
        .filter({ hasText: /显示的是 \d\d:\d\d 的数据/ })
        .waitFor({ timeout: 10_000 });
      expect(await row(zh, 'A').getAttribute('data-in-line')).toBe('2');
      expect(await row(zh, 'A').textContent()).toContain('东门广场');
      if (SHOTS) await zh.screenshot({ path: `${SHOTS}/points-offline-zh.png`, fullPage: true });

      // Back on the same data: both pages are live again by themselves.
      await site.start();
      // Each page waits out its own back-off (up to POLL_RETRY_MAX_MS): watched side by side.
      await Promise.all(
        (
          [
            [zh, '实时更新'],
            [en, 'Live'],
          ] as const
        ).map(async ([page, live]) => {
          await page
            .getByTestId('points-connection')
            .filter({ hasText: live })
            .waitFor({ timeout: POLL_RETRY_MAX_MS + 20_000 });
          await row(page, 'A').and(page.locator('[data-in-line="2"]')).waitFor();
        }),
      );
      await zh.context().close();
      await en.close();
    },
  );
});
