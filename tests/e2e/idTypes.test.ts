// Not everyone brings a resident ID card: at the kiosk the sampler picks the card's type (or the number's
// shape picks it) and types the number; a walk-in with a passport gives the nationality; a Hong Kong
// resident finds their own code at /me by permit number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { PINS, type TestSite } from '../support/testServer';
import { resident } from '../server/helpers';

const PASSPORT = resident(0, [], { name: 'Anna Müller', idType: 'passport', idNumber: 'C01X00T47', nationality: 'DEU' });
const HK = resident(1, [], { name: '陈家明', idType: 'hk-macau-permit', idNumber: 'H60123456' });
const RESIDENT = resident(2);
const SHOTS = process.env.NATQ_SHOTS;

let env: BrowserSite;
let site: TestSite;
let browser: Browser;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv([PASSPORT, HK, RESIDENT]))).body).toMatchObject({ accepted: 3, rejectedCount: 0 });
});
afterAll(async () => {
  await env?.close();
});

async function kioskPage(locale: 'zh-CN' | 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
  const page = await context.newPage();
  await openSignedIn(page, `${site.url}/kiosk?point=A`, PINS.kiosk);
  await page.getByTestId('scan-input').waitFor();
  return page;
}

async function outcome(page: Page, kind: string, text?: string) {
  const card = page.locator(`[data-testid=scan-outcome][data-kind=${kind}]`, text ? { hasText: text } : {});
  await card.waitFor({ timeout: 5000 });
  return card;
}

describe('ID types at the kiosk', () => {
  it('takes a passport number typed with the type chosen, and a permit number whose shape picks its type', async () => {
    const page = await kioskPage('zh-CN');
    const type = page.getByTestId('scan-id-type');
    expect(await type.inputValue()).toBe('resident-id');

    // A passport number fits no other shape: the sampler picks 护照, then types it.
    await type.selectOption('passport');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
    await page.keyboard.type(PASSPORT.idNumber.toLowerCase(), { delay: 50 });
    await page.keyboard.press('Enter');
    await outcome(page, 'added', PASSPORT.name);
    // Back to the resident ID for the next person.
    expect(await type.inputValue()).toBe('resident-id');

    // H + 8 digits is only a Hong Kong/Macau permit: preselected as it is typed.
    await page.keyboard.type(HK.idNumber, { delay: 50 });
    await page.getByTestId('id-type-preselected').filter({ hasText: '港澳居民来往内地通行证' }).waitFor();
    expect(await type.inputValue()).toBe('hk-macau-permit');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/kiosk-id-type-preselected-zh.png` });
    await page.keyboard.press('Enter');
    await outcome(page, 'added', HK.name);

    // A wrong permit number is refused in the sampler's language, naming the type and the shape.
    await type.selectOption('hk-macau-permit');
    await page.keyboard.type('H601234', { delay: 50 });
    await page.keyboard.press('Enter');
    const refused = await outcome(page, 'rejected');
    expect(await refused.innerText()).toContain('港澳居民来往内地通行证号码无效：港澳居民来往内地通行证号应为 H 或 M 加 8 位或 10 位数字');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/kiosk-id-type-refused-zh.png` });
    await page.context().close();
  });

  it('registers a walk-in with a passport: the type carried over from the scan, the nationality asked for', async () => {
    const page = await kioskPage('en');
    await page.getByTestId('scan-id-type').selectOption('passport');
    await page.keyboard.type('K7654321', { delay: 50 });
    await page.keyboard.press('Enter');
    const card = await outcome(page, 'not-on-roster');
    expect(await card.innerText()).toContain('Passport K****321');
    await page.getByTestId('walk-in-open').click();
    const form = page.getByTestId('walk-in-form');
    expect(await form.getByTestId('walk-in-id-type').inputValue()).toBe('passport');
    expect(await form.getByTestId('walk-in-id').inputValue()).toBe('K7654321');
    await form.getByTestId('walk-in-name').fill('John Smith');
    await form.getByTestId('walk-in-submit').click();
    await form.getByTestId('walk-in-error').filter({ hasText: 'A passport needs the nationality' }).waitFor();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/kiosk-walk-in-passport-en.png` });
    await form.getByTestId('walk-in-nationality').fill('GBR');
    await form.getByTestId('walk-in-submit').click();
    await outcome(page, 'added', 'John Smith');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/kiosk-id-type-en.png` });
    await page.context().close();
  });
});

describe('ID types at /me', () => {
  it('finds a Hong Kong resident their own code by permit number', async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      await context.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
      const page = await context.newPage();
      await page.goto(`${site.url}/me`);
      await page.getByTestId('me-name').fill(HK.name);
      await page.getByTestId('me-id-type').selectOption('hk-macau-permit');
      // A typo in the permit number first: the shape the type wants, in the resident's language.
      await page.getByTestId('me-id').fill('H6012');
      await page.getByTestId('me-phone4').fill(HK.phone.slice(-4));
      await page.getByTestId('me-find-submit').click();
      const shape = locale === 'zh-CN' ? 'H 或 M 加 8 位或 10 位数字' : 'H or M followed by 8 or 10 digits';
      await page.getByTestId('me-error').filter({ hasText: shape }).waitFor();
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/me-id-type-${locale}.png`, fullPage: true });
      await page.getByTestId('me-id').fill(HK.idNumber.toLowerCase());
      await page.getByTestId('me-find-submit').click();
      const card = page.getByTestId('person-code').first();
      await card.waitFor();
      const printed = (await site.codes('1')).flatMap((h) => h.members);
      expect(await card.getAttribute('data-code')).toBe(printed.find((m) => m.name === HK.name)?.code);
      await context.close();
    }
  });
});

describe('ID types on the staff roster preview', () => {
  it('says why a row of each type is refused, in both languages', async () => {
    const csv = [
      '姓名,证件类型,证件号码,国籍,证件说明,楼栋,房号',
      '李四,护照,E12345678,,,5,101',
      '王五,港澳通行证,H1234,,,5,102',
      '赵六,驾驶证,12345678,,,5,103',
      '孙七,无证件,,,,5,104',
      '周八,无证件,,,证件遗失，居委会核实,5,105',
      '吴九,台胞证,12345678,,,5,106',
    ].join('\r\n');
    const expected = {
      'zh-CN': [
        '护照须填国籍',
        '港澳居民来往内地通行证号应为 H 或 M 加 8 位或 10 位数字',
        '不认识的证件类型“驾驶证”',
        '无证件人员须填说明',
      ],
      en: [
        'A passport needs the nationality',
        'H or M followed by 8 or 10 digits',
        'unknown ID type "驾驶证"',
        'Someone without an ID needs a note',
      ],
    };
    for (const locale of ['zh-CN', 'en'] as const) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await page.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
      await openSignedIn(page, `${site.url}/staff`, PINS.staff);
      await page
        .getByTestId('roster-file')
        .setInputFiles({ name: '5号楼.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) });
      await page.locator('[data-testid=roster-preview][data-accepted="2"]').waitFor({ timeout: 30_000 });
      const rejected = await page.getByTestId('rejected-rows').innerText();
      for (const text of expected[locale]) expect(rejected).toContain(text);
      if (SHOTS) await page.getByTestId('rejected-rows').screenshot({ path: `${SHOTS}/staff-roster-id-types-${locale}.png` });
      await page.close();
    }
  });
});
