// A morning at the kiosk in a real browser: codes arrive from a keyboard-wedge scanner, an ID number
// is typed by hand, a Chinese input method is left on, an elderly man without a code is found by his
// pinyin initials, and a wrong scan is undone before the tube is opened. Each story scans people of
// its own and compares the counts with before, so any may run first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { openBrowserSite, openSignedIn, scannerBurst, type BrowserSite } from '../support/browser';
import { newKey, PINS, type TestSite } from '../support/testServer';
import { resident, residents } from '../server/helpers';
import { ok } from '../server/roundsHttp';
import { ROUNDS_API } from '../../shared/roundsApi';

const PEOPLE = residents(0, 10);
const ZHANG = resident(40, [], { name: '张三丰', building: '3', unit: '2', room: '501' });

let site: TestSite;
let browser: Browser;
let env: BrowserSite;
let page: Page;
let codes: Map<string, string>;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  const { status } = await site.importRoster(rosterCsv([...PEOPLE, ZHANG]));
  expect(status).toBe(200);
  codes = await site.codesByName('1', '3');
  // Groups of twenty: the file's scans all go to one forming group, whatever order the stories run in.
  await ok(site, ROUNDS_API.rounds, {
    json: { key: newKey(), name: '今天', date: '2026-12-01', points: [{ code: 'A', name: 'A', poolSize: 20 }] },
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Hear what the kiosk plays: every oscillator started, by frequency.
  await page.addInitScript(() => {
    const w = window as unknown as { tones: number[] };
    w.tones = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<typeof start>) {
      w.tones.push(this.frequency.value);
      return start.apply(this, args);
    };
  });
  await openSignedIn(page, `${site.url}/kiosk?point=A`, PINS.kiosk);
  await page.getByTestId('scan-input').waitFor();
});

afterAll(async () => {
  await env?.close();
});

const codeOf = (name: string) => {
  const code = codes.get(name);
  if (!code) throw new Error(`no code for ${name}`);
  return code;
};

/** The big result card, once it shows this kind of outcome (for this person). */
async function outcome(kind: string, text?: string) {
  const card = page.locator(`[data-testid=scan-outcome][data-kind=${kind}]`, text ? { hasText: text } : {});
  await card.waitFor({ timeout: 5000 });
  return card;
}

const latestRecent = () => page.getByTestId('recent-scan').first();
const countToday = async () => Number(await page.getByTestId('count-today').textContent());
const heard = () => page.evaluate(() => (window as unknown as { tones: number[] }).tones.splice(0));

describe('kiosk input', () => {
  it('accepts a scanner burst as a scan, with a green card, the count and a high beep', async () => {
    const before = await countToday();
    await heard();
    await scannerBurst(page, codeOf(PEOPLE[0].name));
    const card = await outcome('added', PEOPLE[0].name);
    expect(await card.getAttribute('data-tone')).toBe('ok');
    expect(await card.getAttribute('data-via')).toBe('scanner');
    expect(await page.getByTestId('count-today').textContent()).toBe(String(before + 1));
    expect(await page.getByTestId('scan-input').inputValue()).toBe('');
    await expect.poll(heard).toContain(1320);
  });

  it('takes a slowly typed ID number too, marked as typed', async () => {
    await page.keyboard.type(PEOPLE[1].idNumber, { delay: 60 });
    await page.keyboard.press('Enter');
    const card = await outcome('added', PEOPLE[1].name);
    expect(await card.getAttribute('data-via')).toBe('typed');
    expect(await latestRecent().getAttribute('data-via')).toBe('typed');
  });

  it('buzzes low and shows red for someone scanned twice', async () => {
    await scannerBurst(page, codeOf(PEOPLE[2].name));
    await outcome('added', PEOPLE[2].name);
    await heard();
    await scannerBurst(page, codeOf(PEOPLE[2].name));
    const card = await outcome('duplicate', PEOPLE[2].name);
    expect(await card.getAttribute('data-tone')).toBe('bad');
    await expect.poll(heard).toContain(196);
  });

  it('reads the code right while a Chinese input method is composing', async () => {
    const code = codeOf(PEOPLE[3].name);
    await page.evaluate((text) => {
      const field = document.querySelector<HTMLInputElement>('[data-testid=scan-input]')!;
      const codeOfChar = (c: string) =>
        /[A-Za-z]/.test(c) ? `Key${c.toUpperCase()}` : /\d/.test(c) ? `Digit${c}` : c === ':' ? 'Semicolon' : 'Minus';
      field.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
      let garbled = '';
      for (const c of text) {
        const shiftKey = /[A-Z:]/.test(c);
        // What an IME sends: key "Process", keyCode 229; only code names the key.
        field.dispatchEvent(
          new KeyboardEvent('keydown', {
            key: 'Process',
            code: codeOfChar(c),
            keyCode: 229,
            shiftKey,
            isComposing: true,
            bubbles: true,
            cancelable: true,
          }),
        );
        garbled += c === ':' ? '：' : 'ｎ';
        field.dispatchEvent(new CompositionEvent('compositionupdate', { bubbles: true, data: garbled }));
        field.value = garbled;
        field.dispatchEvent(
          new InputEvent('input', { bubbles: true, isComposing: true, data: garbled, inputType: 'insertCompositionText' }),
        );
      }
      field.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '你好' }));
      field.value = '你好';
      field.dispatchEvent(new InputEvent('input', { bubbles: true, data: '你好', inputType: 'insertCompositionText' }));
    }, code);
    expect(await page.getByTestId('scan-input').inputValue()).toBe(code);
    await page.keyboard.press('Enter');
    await outcome('added', PEOPLE[3].name);
  });

  it('keeps the scan field focused: a scan after a stray click still lands', async () => {
    // Someone in the forming group, so there is a group to click on.
    await scannerBurst(page, codeOf(PEOPLE[4].name));
    await outcome('added', PEOPLE[4].name);
    await page.getByTestId('forming-group').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
    await scannerBurst(page, codeOf(PEOPLE[5].name));
    await outcome('added', PEOPLE[5].name);
  });

  it('finds a resident without a code by pinyin initials and adds him', async () => {
    await page.getByTestId('search-open').click();
    await page.getByTestId('search-input').fill('zsf');
    const hit = page.getByTestId('search-hit');
    await hit.first().waitFor();
    expect(await hit.count()).toBe(1);
    expect(await hit.first().textContent()).toContain('3-2-501');
    await page.getByTestId('search-add').click();
    const card = await outcome('added', '张三丰');
    expect(await card.getAttribute('data-via')).toBe('search');
    expect(await page.getByTestId('resident-search').count()).toBe(0);
    // Back to scanning without touching the screen.
    await scannerBurst(page, codeOf(PEOPLE[6].name));
    await outcome('added', PEOPLE[6].name);
  });

  it('undoes a wrong scan: the person leaves the group and can be scanned again', async () => {
    const group = page.getByTestId('forming-group');
    const count = await countToday();
    await scannerBurst(page, codeOf(PEOPLE[7].name));
    await outcome('added', PEOPLE[7].name);
    await expect.poll(countToday).toBe(count + 1);
    const size = Number(await group.getAttribute('data-size'));
    const wrong = latestRecent();
    expect(await wrong.textContent()).toContain(PEOPLE[7].name);
    await wrong.getByTestId('undo-scan').click();
    // This scan's own entry (another story may have left an undone one in the list).
    await expect.poll(() => wrong.getAttribute('data-undone'), { timeout: 15_000 }).toBe('true');
    // The big card no longer says "go".
    await page.locator('[data-testid=scan-outcome][data-undone=true][data-tone=neutral]').waitFor();
    await expect.poll(() => group.getAttribute('data-size'), { timeout: 15_000 }).toBe(String(size - 1));
    await expect.poll(countToday).toBe(count);

    await scannerBurst(page, codeOf(PEOPLE[7].name));
    await expect.poll(() => latestRecent().getAttribute('data-kind')).toBe('added');
    await expect.poll(() => group.getAttribute('data-size')).toBe(String(size));
  });

  it('takes a pasted code in full-width characters as typed ASCII', async () => {
    const code = codeOf(PEOPLE[8].name);
    await page.evaluate((text) => {
      const field = document.querySelector<HTMLInputElement>('[data-testid=scan-input]')!;
      const data = new DataTransfer();
      data.setData('text/plain', `${text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}\n`);
      field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, code);
    expect(await page.getByTestId('scan-input').inputValue()).toBe(code);
    await page.keyboard.press('Enter');
    const card = await outcome('added', PEOPLE[8].name);
    expect(await card.getAttribute('data-via')).toBe('typed');
  });

  it("reads from arm's length in Chinese and English: large headline and name, nothing cut off at the side", async () => {
    /** Font sizes (px) of the outcome's headline and name, and whether the page is wider than the screen. */
    const layout = () =>
      page.evaluate(() => {
        const px = (selector: string) => parseFloat(getComputedStyle(document.querySelector(selector)!).fontSize);
        return {
          headline: px('.scan-outcome .headline'),
          name: px('.scan-outcome .name'),
          overflows: document.documentElement.scrollWidth > window.innerWidth,
        };
      });
    const readable = {
      headline: expect.toSatisfy((n: number) => n >= 32),
      name: expect.toSatisfy((n: number) => n >= 28),
      overflows: false,
    };
    // A result on the screen to measure.
    await scannerBurst(page, codeOf(PEOPLE[9].name));
    await outcome('added', PEOPLE[9].name);
    expect(await layout()).toEqual(readable);
    await page.screenshot({ path: '/tmp/kiosk-zh.png', fullPage: true });
    await page.getByTestId('language-switch').filter({ hasText: 'English' }).click();
    await page.getByText('Registered today').waitFor();
    expect(await layout()).toEqual(readable);
    await page.screenshot({ path: '/tmp/kiosk-en.png', fullPage: true });
    // Back in Chinese for whatever story comes next.
    await page.getByTestId('language-switch').filter({ hasText: '中文' }).click();
    await page.getByText('今日已登记').waitFor();
  });
});
