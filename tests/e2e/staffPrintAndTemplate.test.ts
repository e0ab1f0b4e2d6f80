// The staff page as the community office uses it before a sampling day: one click prints a
// building's resident codes (unit by unit, each code's text under its QR), and the roster import
// says which columns it reads and hands out an empty template of them.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API, type RosterPreview } from '../../shared/api';
import { LAB_API } from '../../shared/apiPaths';
import { rosterColumns } from '../../shared/roster';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { PINS, type TestSite } from '../support/testServer';
import { resident } from '../server/helpers';

const SHOTS = process.env.NATQ_SHOTS;
// Building 1 in two units, and building 2, which must not be printed with building 1.
const UNIT_1 = [0, 1, 2, 3, 4].map((i) => resident(i));
const UNIT_2 = [5, 6, 7].map((i) => resident(i, [], { unit: '2' }));
const OTHER = [8, 9].map((i) => resident(i, [], { building: '2' }));

let site: TestSite;
let browser: Browser;
let env: BrowserSite;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv([...UNIT_1, ...UNIT_2, ...OTHER]))).status).toBe(200);
});

afterAll(async () => {
  await env?.close();
});

interface Printed {
  text: string | null;
  alt: string | null;
  drawn: boolean;
}

/** The staff page, where a print call writes down what the print view held at that moment instead of opening a dialog. */
async function staffPage(locale: 'zh-CN' | 'en'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.addInitScript((l) => {
    localStorage.setItem('nat-queue.locale', l);
    const w = window as unknown as { printed: Printed[][] };
    w.printed = [];
    window.print = () => {
      w.printed.push(
        [...document.querySelectorAll('[data-testid=print-view] figure')].map((f) => {
          const img = f.querySelector('img');
          return {
            text: f.querySelector('[data-testid=code-text]')?.textContent ?? null,
            alt: img?.alt ?? null,
            drawn: !!img && img.complete && img.naturalWidth > 0,
          };
        }),
      );
    };
  }, locale);
  return openSignedIn(page, `${site.url}/staff`, PINS.staff);
}

const printed = (page: Page) => page.evaluate(() => (window as unknown as { printed: Printed[][] }).printed);

describe('printing resident codes', () => {
  it('one click: the sheets of every resident of the building, unit by unit, each QR drawn with its code under it, then the print dialog', async () => {
    const page = await staffPage('zh-CN');
    const codes = await site.codes('1');
    const expected = codes.flatMap((h) => h.members.map((m) => m.code)).sort();
    expect(expected).toHaveLength(UNIT_1.length + UNIT_2.length);

    await page.getByTestId('building-1').getByRole('button', { name: '打印居民码' }).click();
    await expect.poll(() => printed(page), { timeout: 15_000 }).toHaveLength(1);
    const [sheet] = await printed(page);
    expect(sheet.map((f) => f.text).sort()).toEqual(expected);
    expect(sheet.map((f) => f.alt).sort()).toEqual(expected);
    expect(sheet.every((f) => f.drawn)).toBe(true);
    // Building 2's residents are not on building 1's sheets.
    const others = new Set((await site.codes('2')).flatMap((h) => h.members.map((m) => m.code)));
    expect(sheet.some((f) => others.has(f.text ?? ''))).toBe(false);

    // Unit by unit, a household a page, each page saying where it is.
    expect(await page.getByTestId('unit-1').locator('figure').count()).toBe(UNIT_1.length);
    expect(await page.getByTestId('unit-2').locator('figure').count()).toBe(UNIT_2.length);
    expect(await page.getByTestId(`household-${UNIT_2[0].building}-2-${UNIT_2[0].room}`).locator('h3').innerText()).toContain(
      '1 号楼 2 单元',
    );
    // The code typed from the paper is what the own-result lookup takes.
    const res = await fetch(`${site.url}${LAB_API.ownResult}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: sheet[0].text }),
    });
    expect(res.status).toBe(200);

    const status = page.getByTestId('print-status');
    expect(await status.innerText()).toContain('已打开打印对话框');
    expect(await status.getAttribute('role')).toBe('status');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/staff-print-preview-zh.png` });

    // On paper (A4 at 96 dpi): the sheets only, not the bar or the staff page under the preview.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    expect(await page.locator('.print-bar').isVisible()).toBe(false);
    expect(await page.getByTestId('roster-file').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=print-view] figure').first().isVisible()).toBe(true);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/staff-print-a4.png`, fullPage: true });

    // Printing again is one more click; closing returns to the staff page.
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: '再次打印' }).click();
    await expect.poll(async () => (await printed(page)).length).toBe(2);
    await page.getByRole('button', { name: '关闭' }).click();
    await page.getByTestId('print-view').waitFor({ state: 'detached' });
    await page.close();
  }, 60_000);

  it('speaks English on the English page while it renders and after', async () => {
    const page = await staffPage('en');
    await page.getByTestId('building-2').getByRole('button', { name: 'Print codes' }).click();
    await expect.poll(() => printed(page), { timeout: 15_000 }).toHaveLength(1);
    expect(await page.getByTestId('print-status').innerText()).toMatch(
      /Households: 2, residents: 2; one page per household\. The print dialog was opened/,
    );
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/staff-print-preview-en.png` });
    await page.close();
  }, 30_000);
});

describe('the roster template', () => {
  const headers = rosterColumns().map((c) => c.header);

  const saved = async (download: Download): Promise<Buffer> => readFile(await download.path());

  it('shows the columns the import reads and downloads them as an empty CSV and XLSX with Chinese headers', async () => {
    const page = await staffPage('zh-CN');
    // The list is drawn once the page has its messages: wait for it rather than read it at once.
    await expect
      .poll(() => page.getByTestId('roster-columns').locator('li').allInnerTexts())
      .toEqual(rosterColumns().map((c) => (c.required ? `${c.header} *` : c.header)));
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/staff-top-zh.png` });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV 模板' }).click()]);
    expect(csv.suggestedFilename()).toBe('花名册模板.csv');
    const text = (await saved(csv)).toString('utf8');
    expect(text).toBe(`\uFEFF${headers.join(',')}\r\n`);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Excel 模板' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('花名册模板.xlsx');
    const file = await saved(xlsx);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(headers);
    expect(sheet.rowCount).toBe(1);
    // The ID number column is text, so 18 digits typed into it stay 18 digits.
    expect(sheet.getColumn(headers.indexOf('身份证号') + 1).numFmt).toBe('@');

    // The template as downloaded is a roster the import reads: its header found, nobody in it.
    const token = await site.token('staff');
    const preview = await fetch(`${site.url}${API.rosterPreview}?filename=t.xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(file),
    });
    const check = (await preview.json()) as RosterPreview;
    expect(check.rows).toBe(0);
    expect(check.sheets.map((s) => [s.headerRow, s.problem])).toEqual([[1, null]]);
    await page.close();
  }, 45_000);

  it('the English page names the same Chinese headers, since they are what the file holds', async () => {
    const page = await staffPage('en');
    await expect
      .poll(() => page.getByTestId('roster-columns').locator('li').allInnerTexts())
      .toEqual(rosterColumns().map((c) => (c.required ? `${c.header} *` : c.header)));
    expect(await page.getByRole('button', { name: 'Excel template' }).isVisible()).toBe(true);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/staff-top-en.png` });
    await page.close();
  });
});
