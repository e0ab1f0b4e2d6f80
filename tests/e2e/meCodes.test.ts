import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { openBrowserSite, openSignedIn, scannerBurst, type BrowserSite } from '../support/browser';
import { PINS, type Listener, type TestSite } from '../support/testServer';
import { added, groupAction, ok as okReply, resident, residents, scan } from '../server/helpers';

// On a phone: a resident finds their own code, adds their mother, and pre-registers a lodger who
// is not on the roster; the kiosk flags the lodger for an ID check; after the tube is sealed the
// phone shows "已采样 … · A-001 组 · 待出结果" for each of them.

let env: BrowserSite;
let site: TestSite;
let browser: Browser;
let kiosk: Listener;
const [me, mother] = residents(0, 2);
const lodger = resident(901);
const SHOTS = process.env.NATQ_SHOTS;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv([me, mother]))).status).toBe(200);
  kiosk = await site.connect('kiosk');
});
afterAll(async () => {
  await env?.close();
});

async function phone(locale: 'zh-CN' | 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await context.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
  return context.newPage();
}

async function findCode(page: Page, who: typeof me): Promise<void> {
  await page.getByTestId('me-name').fill(who.name);
  await page.getByTestId('me-id').fill(who.idNumber);
  await page.getByTestId('me-phone4').fill(who.phone.slice(-4));
  await page.getByTestId('me-find-submit').click();
}

describe('my code on my phone', () => {
  it('finds my code, adds my mother and a lodger, shows when each was sampled, and staff confirm the lodger', async () => {
    const page = await phone('zh-CN');
    await page.goto(`${site.url}/me`);

    // A typo first: one plain sentence, nothing about anyone.
    await page.getByTestId('me-name').fill('王五');
    await page.getByTestId('me-id').fill(me.idNumber);
    await page.getByTestId('me-phone4').fill(me.phone.slice(-4));
    await page.getByTestId('me-find-submit').click();
    await page.getByTestId('me-error').filter({ hasText: '没有找到' }).waitFor();

    await findCode(page, me);
    const cards = page.getByTestId('person-code');
    await cards.first().waitFor();
    const printed = (await site.codes('1')).flatMap((h) => h.members);
    const myCode = printed.find((m) => m.name === me.name)?.code as string;
    expect(await cards.first().getAttribute('data-code')).toBe(myCode);
    expect(await cards.first().textContent()).toContain(myCode);
    await page.locator('[data-testid=person-proof][data-status=not-sampled]').first().waitFor();

    await page.getByTestId('me-add-family').click();
    await findCode(page, mother);
    await expect.poll(() => cards.count()).toBe(2);

    await page.getByTestId('me-add-family').click();
    await page.getByTestId('me-prereg-open').click();
    await page.getByTestId('prereg-name').fill(lodger.name);
    await page.getByTestId('prereg-id').fill(lodger.idNumber);
    await page.getByTestId('prereg-building').fill('1');
    await page.getByTestId('prereg-unit').fill('2');
    await page.getByTestId('prereg-room').fill('301');
    await page.getByTestId('prereg-phone').fill(lodger.phone);
    await page.getByTestId('prereg-submit').click();
    await expect.poll(() => cards.count()).toBe(3);
    const lodgerCard = page.locator('[data-testid=person-code][data-unverified=true]');
    await lodgerCard.getByTestId('person-unverified').waitFor();
    const lodgerCode = (await lodgerCard.getAttribute('data-code')) as string;

    // The kiosk: the lodger's code is flagged for an ID check.
    const desk = await openSignedIn(
      await browser.newPage({ viewport: { width: 1366, height: 768 } }),
      `${site.url}/kiosk?point=A`,
      PINS.kiosk,
    );
    await desk.getByTestId('scan-input').waitFor();
    await scannerBurst(desk, lodgerCode);
    await desk.locator('[data-testid=scan-outcome][data-kind=added][data-tone=warn]').waitFor();
    expect(await desk.getByTestId('outcome-unverified').textContent()).toContain('未在花名册 — 核对后采样');
    if (SHOTS) await desk.screenshot({ path: `${SHOTS}/kiosk-unverified-zh.png` });
    await desk.close();

    // Me and my mother join the lodger's group; the tube is sealed.
    const group = added(await scan(kiosk, myCode)).group;
    added(await scan(kiosk, printed.find((m) => m.name === mother.name)?.code as string));
    okReply(await groupAction(kiosk, { groupId: group.id, action: 'close' }));
    okReply(await groupAction(kiosk, { groupId: group.id, action: 'start', tubeCode: 'ME-TUBE-001' }));
    okReply(await groupAction(kiosk, { groupId: group.id, action: 'seal' }));

    await page.getByTestId('me-refresh').click();
    await expect.poll(() => page.locator('[data-testid=person-proof][data-status=pending]').count()).toBe(3);
    const proof = (await page.getByTestId('person-proof').first().textContent()) ?? '';
    expect(proof).toMatch(/已采样 \d\d-\d\d \d\d:\d\d · A-001 组 · 待出结果/);
    // The phone shows masked names only, and nobody's ID number.
    const text = (await page.textContent('body')) ?? '';
    for (const p of [me, mother, lodger]) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.idNumber);
    }
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/me-phone-zh.png`, fullPage: true });

    // Kept on this phone: a reload still shows all three.
    await page.reload();
    await expect.poll(() => cards.count()).toBe(3);
    await page.context().close();

    // My mother's own phone, in English: her code and her proof of sampling.
    const hers = await phone('en');
    await hers.goto(`${site.url}/me`);
    await hers.getByTestId('me-find').waitFor();
    if (SHOTS) await hers.screenshot({ path: `${SHOTS}/me-phone-en-empty.png`, fullPage: true });
    await findCode(hers, mother);
    await hers.locator('[data-testid=person-proof][data-status=pending]').waitFor();
    expect(await hers.getByTestId('person-proof').textContent()).toMatch(/Sampled \d\d-\d\d \d\d:\d\d · group A-001 · result pending/);
    if (SHOTS) await hers.screenshot({ path: `${SHOTS}/me-phone-en.png`, fullPage: true });
    await hers.context().close();

    // Staff check the lodger's ID card and confirm the pre-registration.
    const staff = await openSignedIn(await browser.newPage(), `${site.url}/staff`, PINS.staff);
    const row = staff.getByTestId('preregistration');
    await row.filter({ hasText: lodger.name }).waitFor();
    await row.getByTestId('preregistration-confirm').click();
    await staff.getByTestId('no-preregistrations').waitFor();
    await staff.close();
  });
});
