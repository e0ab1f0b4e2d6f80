// A busy morning in the hall, in a real browser: the hall display, two volunteer tablets, a
// kiosk and a resident's phone are open at once. Calls made on one tablet reach the others
// and the display within a second; two volunteers pressing "call next" together call two
// different groups; the server is stopped and started again and every page recovers by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { POLL_REFRESH_MS } from '../../server/turn/polledPages';
import { POLL_RETRY_MAX_MS } from '../../shared/poll';
import { turnPollS } from '../../shared/turnView';
import { openBrowserSite, openSignedIn, scannerBurst, type BrowserSite } from '../support/browser';
import { PINS, type Listener, type TestSite } from '../support/testServer';
import { groupAction, ok, residents, scanAll, sync } from '../server/helpers';

const PEOPLE = residents(0, 45);
const FAST = { timeout: 1000 };
const RECOVER = { timeout: 20_000 };
// The turn page asks when its last answer says (three groups ahead: the longest wait here), from a
// snapshot at most a second old; after failures it waits longer.
const PHONE = { timeout: turnPollS('waiting', 3) * 1000 + POLL_REFRESH_MS + 4000 };
const PHONE_RECOVER = { timeout: POLL_RETRY_MAX_MS + 10_000 };

let site: TestSite;
let browser: Browser;
let env: BrowserSite;
let codes: Map<string, string>;

/** Each device is its own browser context: its own storage and sign-in, as separate tablets are. */
async function device(path: string, pin?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (pin) return openSignedIn(page, `${site.url}${path}`, pin);
  await page.goto(`${site.url}${path}`);
  return page;
}

const state = (page: Page, testId: string) => page.getByTestId(testId).getAttribute('data-state');

async function expectAttr(page: Page, testId: string, attr: string, value: string, opts = FAST) {
  await page.locator(`[data-testid="${testId}"][${attr}="${value}"]`).first().waitFor(opts);
}

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  const { status } = await site.importRoster(rosterCsv(PEOPLE));
  expect(status).toBe(200);
  codes = await site.codesByName('1');
});

afterAll(async () => {
  await env?.close();
});

describe('the hall with several pages open', () => {
  it('keeps the display, two tablets, the kiosk and a resident phone in step, and recovers from a server restart', async () => {
    const code = (i: number) => codes.get(PEOPLE[i].name)!;

    const display = await device('/display');
    const tablet1 = await device('/volunteer?point=A', PINS.volunteer);
    const tablet2 = await device('/volunteer?point=A', PINS.volunteer);
    const kiosk = await device('/kiosk?point=A', PINS.kiosk);

    // The morning's first ten come through the kiosk page, the next thirty through three more kiosks.
    await kiosk.getByTestId('scan-input').waitFor();
    for (let i = 0; i < 10; i++) {
      await scannerBurst(kiosk, code(i));
      await kiosk.locator('[data-testid=scan-outcome][data-kind=added]', { hasText: `${i + 1}/10` }).waitFor({ timeout: 5000 });
    }
    let kiosk2: Listener | undefined;
    for (let line = 1; line <= 3; line++) {
      kiosk2 = await site.connect('kiosk', `kiosk-${line + 1}`);
      await scanAll(
        kiosk2,
        Array.from({ length: 10 }, (_, k) => code(line * 10 + k)),
      );
    }
    await expectAttr(display, 'group-A-004', 'data-state', 'waiting', { timeout: 5000 });

    // Tablet 1 sets up the hall: two desks, four groups indoors at most.
    await tablet1.getByTestId('hall-controls').locator('summary').click();
    await tablet1.getByTestId('hall-desks').selectOption('2');
    await tablet1.getByTestId('hall-capacity').selectOption('4');
    await tablet1.getByTestId('hall-save').click();
    await tablet2.getByTestId('hall-indoors').filter({ hasText: '0/4' }).waitFor(FAST);

    // A call on tablet 1 reaches tablet 2 and the display within a second.
    await tablet1.getByTestId('call-next').click();
    await tablet1.getByTestId('call-next-result').filter({ hasText: 'A-001' }).waitFor(FAST);
    await expectAttr(tablet2, 'vgroup-A-001', 'data-state', 'called');
    await expectAttr(display, 'group-A-001', 'data-desk', '1');
    expect(await display.getByTestId('group-A-001').textContent()).toMatch(/^A-001 →1 号台/);
    // (Headless Chromium has no voices; the display speaks from its own clips: tests/e2e/voice.test.ts.)

    // Both volunteers press "call next" at the same moment: two different groups, one per desk.
    await Promise.all([tablet1.getByTestId('call-next').click(), tablet2.getByTestId('call-next').click()]);
    const results = await Promise.all(
      [tablet1, tablet2].map(async (t) => {
        const r = t.getByTestId('call-next-result');
        await r.waitFor(FAST);
        return (await r.textContent())!.match(/A-00\d/)![0];
      }),
    );
    expect(results.sort()).toEqual(['A-002', 'A-003']);
    await expectAttr(display, 'group-A-002', 'data-state', 'called');
    await expectAttr(display, 'group-A-003', 'data-state', 'called');
    expect(await display.getByTestId('group-A-002').getAttribute('data-desk')).toBe('2');
    expect(await display.getByTestId('group-A-003').getAttribute('data-desk')).toBe('1');

    // A resident of A-004 follows their turn on their phone: three groups go first.
    const a4 = (await sync(kiosk2!)).groups.find((g) => g.label === 'A-004')!;
    const phone = await device(`/turn/${a4.id}`);
    await expectAttr(phone, 'turn', 'data-ahead', '3', PHONE);
    expect(await phone.getByTestId('turn').textContent()).not.toMatch(/\*/);

    // Tablet 2 calls A-004 out of order; the phone turns to "your group is called" with its desk.
    await tablet2.getByTestId('call-A-004').click();
    await expectAttr(phone, 'turn', 'data-state', 'called', PHONE);
    expect(await phone.getByTestId('turn-called').textContent()).toContain('2 号台');
    // Four indoors: the hall is full and tablet 1 says so instead of calling.
    await tablet1.getByTestId('hall-full').waitFor(FAST);
    expect(await tablet1.getByTestId('call-next').isDisabled()).toBe(true);

    // A notice from tablet 2 goes up on the display.
    await tablet2.getByTestId('hall-controls').locator('summary').click();
    await tablet2.getByTestId('hall-banner-text').fill('请带好钥匙');
    await tablet2.getByTestId('hall-banner-post').click();
    await display.getByTestId('announcement').filter({ hasText: '请带好钥匙' }).waitFor(FAST);

    // The server goes down. No page is reloaded (the marks below would be lost).
    for (const page of [display, tablet1, tablet2, kiosk, phone])
      await page.evaluate(() => ((window as { notReloaded?: boolean }).notReloaded = true));
    await site.stop();
    await display
      .getByTestId('offline-banner')
      .filter({ hasText: /显示的是 \d\d:\d\d 的数据/ })
      .waitFor({ timeout: 10_000 });
    await tablet1.getByTestId('volunteer-offline').waitFor({ timeout: 10_000 });
    await phone
      .getByTestId('turn-connection')
      .filter({ hasText: /与服务器的连接已中断 — 显示的是 \d\d:\d\d 的数据/ })
      .waitFor(PHONE);
    // The stale screen still shows what it knew.
    expect(await state(display, 'group-A-004')).toBe('called');

    // Back up on the same data: every page reconnects and takes a fresh snapshot by itself.
    await site.start();
    await display.getByTestId('offline-banner').waitFor({ state: 'detached', ...RECOVER });
    await tablet1.getByTestId('volunteer-offline').waitFor({ state: 'detached', ...RECOVER });
    await phone.getByTestId('turn-connection').filter({ hasText: '实时更新' }).waitFor(PHONE_RECOVER);
    await display.getByTestId('announcement').filter({ hasText: '请带好钥匙' }).waitFor(FAST);

    // And they are live again: a recall on tablet 1 reaches the display, tablet 2 and the phone.
    await tablet1.getByTestId('recall-A-004').click(RECOVER);
    await expectAttr(display, 'group-A-004', 'data-state', 'waiting');
    await expectAttr(tablet2, 'vgroup-A-004', 'data-state', 'waiting');
    await expectAttr(phone, 'turn', 'data-state', 'waiting', PHONE);

    // The desks sample and seal three groups: from that pace the display and the phone estimate the wait.
    expect(await phone.getByTestId('turn-wait').textContent()).toContain('正在估算');
    const kiosk3 = await site.connect('kiosk', 'kiosk-3');
    const indoors = (await sync(kiosk3)).groups.filter((g) => g.state === 'called');
    for (const [n, g] of indoors.entries()) {
      ok(await groupAction(kiosk3, { groupId: g.id, action: 'start', tubeCode: `TUBE-000${n}` }));
      ok(await groupAction(kiosk3, { groupId: g.id, action: 'seal' }));
    }
    await phone
      .getByTestId('turn-wait')
      .filter({ hasText: /马上就轮到您|约 \d+ 分钟/ })
      .waitFor(PHONE);
    await display
      .getByTestId('wait-estimate')
      .filter({ hasText: /约 \d+ 分钟/ })
      .waitFor(FAST);
    // The kiosk page scans again after the restart, and the display shows the new group forming.
    await kiosk.getByTestId('scan-input').focus();
    await scannerBurst(kiosk, code(40));
    await expectAttr(display, 'group-A-005', 'data-state', 'forming', { timeout: 5000 });
    for (const page of [display, tablet1, tablet2, kiosk, phone]) {
      expect(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true);
    }
  }, 150_000);
});
