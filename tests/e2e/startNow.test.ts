// A volunteer lets a waiting group straight in to a desk ("start now"): the hall display calls it,
// chime and all, so the TV never misses a group that skipped the queue.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { launchBrowser, openSignedIn } from '../support/browser';
import { newKey, PINS, startSite, type Listener, type TestSite } from '../support/testServer';
import { ok, residents, scanAll } from '../server/helpers';
import type { GroupView, Reply } from '../../shared/protocol';

const SHOTS = process.env.NATQ_SHOTS;
const PEOPLE = residents(0, 20);
let site: TestSite;
let browser: Browser;
let kiosk: Listener;
let codes: string[];

beforeAll(async () => {
  site = await startSite('sqlite', { pages: true });
  browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
  expect((await site.importRoster(rosterCsv(PEOPLE))).status).toBe(200);
  const byName = await site.codesByName('1');
  codes = PEOPLE.map((p) => byName.get(p.name)!);
  kiosk = await site.connect('kiosk', 'kiosk-1');
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The hall display, counting its call chimes (the first note of each call, 880 Hz). */
async function display(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, serviceWorkers: 'block' });
  await context.addInitScript(() => {
    const w = window as unknown as { chimes: number };
    w.chimes = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<typeof start>) {
      if (this.frequency.value === 880) w.chimes++;
      return start.apply(this, args);
    };
  });
  const page = await context.newPage();
  await page.goto(`${site.url}/display`);
  return page;
}

const chimes = (page: Page) => page.evaluate(() => (window as unknown as { chimes: number }).chimes);

describe('start now from the volunteer page', () => {
  for (const [locale, button, n] of [
    ['zh-CN', '立即开始采样', 0],
    ['en', 'Start sampling now', 10],
  ] as const) {
    it(`a waiting group with a labelled tube, never called, is started and called on the hall display (${locale})`, async () => {
      const [first] = await scanAll(kiosk, codes.slice(n, n + 10));
      const label = first.group.label;
      const labelled: Reply<GroupView> = await kiosk.socket
        .timeout(5000)
        .emitWithAck('tube:label', { key: newKey(), groupId: first.group.id });
      ok(labelled);

      const hall = await display();
      await hall.locator(`[data-testid="group-${label}"][data-state="waiting"]`).waitFor({ timeout: 10_000 });
      const tablet = await (await browser.newContext({ viewport: { width: 768, height: 1024 } })).newPage();
      await tablet.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
      await openSignedIn(tablet, `${site.url}/volunteer?point=A`, PINS.volunteer);
      const group = tablet.getByTestId(`vgroup-${label}`);
      await group.waitFor({ timeout: 10_000 });
      if (SHOTS) await tablet.screenshot({ path: `${SHOTS}/volunteer-start-now-${locale}.png` });
      const before = await chimes(hall);

      await group.getByRole('button', { name: button }).click();
      // Sampling at once, and announced: the call chime sounds and the call can be repeated.
      await hall.locator(`[data-testid="group-${label}"][data-state="sampling"]`).waitFor({ timeout: 10_000 });
      await expect.poll(() => chimes(hall), { timeout: 10_000 }).toBeGreaterThan(before);
      expect(await hall.getByTestId('repeat-call').isEnabled()).toBe(true);
      await hall.context().close();
      await tablet.context().close();
    }, 40_000);
  }
});
