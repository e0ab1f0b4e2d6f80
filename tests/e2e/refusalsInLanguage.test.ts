// The server refuses with a reason code; the pages say it in the reader's language. A Chinese page shows
// a wrong PIN and a lab box error in Chinese, without one English word; an English page in English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { PINS } from '../support/testServer';

let env: BrowserSite;
const SHOTS = '/tmp/shots-errors';

beforeAll(async () => {
  env = await openBrowserSite();
});
afterAll(() => env?.close());

async function pageIn(lang: 'zh-CN' | 'en', viewport: { width: number; height: number }): Promise<Page> {
  const page = await env.browser.newPage({ viewport });
  await page.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), lang);
  return page;
}

const WORDS = { 'zh-CN': /[A-Za-z]/, en: /[\u4e00-\u9fff]/ } as const;

describe.each(['zh-CN', 'en'] as const)('server refusals on a %s page', (lang) => {
  it("a wrong PIN is said in the page's language", async () => {
    const page = await pageIn(lang, { width: 768, height: 1024 });
    await openSignedIn(page, `${env.site.url}/volunteer`, '9090');
    const alert = page.getByTestId('pin-login').getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toBe(lang === 'zh-CN' ? '密码错误，请重新输入。' : 'Wrong PIN; try again.');
    expect(text).not.toMatch(WORDS[lang]);
    await page.screenshot({ path: `${SHOTS}/wrong-pin-${lang}-tablet.png` });
    await page.close();
  });

  it("a lab box error (closing an empty box) is said in the page's language", async () => {
    const page = await pageIn(lang, { width: 1366, height: 768 });
    await openSignedIn(page, `${env.site.url}/lab`, PINS.staff);
    const box = `BOX-${lang === 'en' ? 'E' : 'Z'}1`;
    await page.getByTestId('box-code').fill(box);
    await page.getByTestId('box-code').press('Enter');
    await page.getByTestId('current-box').waitFor();
    await page.getByTestId('close-box').click();
    const alert = page.getByTestId('box-error');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toBe(lang === 'zh-CN' ? `转运箱 ${box} 是空的，请先扫入试管。` : `Box ${box} is empty; scan tubes into it first.`);
    expect(text.replace(box, '')).not.toMatch(WORDS[lang]);
    await alert.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/lab-box-empty-${lang}-kiosk.png` });
    await page.close();
  });
});
