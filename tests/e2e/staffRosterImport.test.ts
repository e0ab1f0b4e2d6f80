import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { API, type BuildingSummary } from '../../shared/api';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { communityWorkbook } from '../support/communityWorkbook';
import { PINS, type TestSite } from '../support/testServer';

// Staff import the community's workbook as they keep it (a title row, a sheet per building, an
// instructions sheet, someone entered twice): they see what will be read, confirm, and get the report.

let site: TestSite;
let browser: Browser;
let env: BrowserSite;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
});

afterAll(async () => {
  await env?.close();
});

async function residents(): Promise<number> {
  const res = await fetch(site.url + API.buildings, { headers: { authorization: `Bearer ${await site.token('staff')}` } });
  return ((await res.json()) as BuildingSummary[]).reduce((n, b) => n + b.residents, 0);
}

/** The staff page in a language, with uploads slowed to a LAN under load so the progress bar is seen. */
async function staffPage(locale: 'zh-CN' | 'en'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
  return openSignedIn(page, `${site.url}/staff`, PINS.staff);
}

describe('the staff roster import', () => {
  it('previews every sheet of the workbook, writes nothing until confirmed, then reports', async () => {
    const page = await staffPage('zh-CN');
    // Every phase the progress bar shows, however briefly (a loaded machine may render it only once).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { phases: string[] }).phases = seen;
      new MutationObserver(() => {
        const phase = document.querySelector('[data-testid=upload-progress]')?.getAttribute('data-phase');
        if (phase && seen.at(-1) !== phase) seen.push(phase);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByTestId('roster-file').setInputFiles({
      name: '幸福里花名册.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await communityWorkbook(150),
    });
    const preview = page.locator('[data-testid=roster-preview][data-accepted="450"]');
    await preview.waitFor({ timeout: 30_000 });
    // The upload's progress came first, then the server's check.
    expect((await page.evaluate(() => (window as unknown as { phases: string[] }).phases))[0]).toBe('uploading');
    const sheets = page.getByTestId('roster-sheets');
    expect(
      await sheets
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-sheet'), r.getAttribute('data-accepted')])),
    ).toEqual([
      ['填表说明', '0'],
      ['1号楼', '150'],
      ['2号楼', '150'],
      ['3号楼', '150'],
    ]);
    expect(await sheets.getByTestId('sheet-problem').innerText()).toContain('填表说明');
    expect(await sheets.innerText()).toContain('序号、性别、年龄');
    expect(await page.getByTestId('duplicates').innerText()).toMatch(/1号楼 第 3 行[\s\S]*3号楼 第 153 行/);
    expect(await page.getByTestId('rejected-rows').innerText()).toContain('与 1号楼 第 3 行的身份证号相同');
    expect(await page.getByTestId('roster-confirm').innerText()).toBe('确认导入 450 人');
    expect(await residents()).toBe(0);

    await page.getByTestId('roster-confirm').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    expect(await report.getAttribute('data-added')).toBe('450');
    expect(await report.getAttribute('data-rejected')).toBe('1');
    expect(await page.getByTestId('roster-preview').count()).toBe(0);
    expect(await residents()).toBe(450);
    await page.close();
  }, 90_000); // two throttled uploads and two checks of the workbook: slow on a loaded machine

  it('speaks English on the English page, and cancelling a preview imports nothing', async () => {
    const before = await residents();
    const page = await staffPage('en');
    await page.getByTestId('roster-file').setInputFiles({
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('姓名,身份证号,楼栋,房号\n张三,110105194912310021,1,101\n李四,,1,102\n'),
    });
    await page.getByTestId('roster-preview').waitFor();
    expect(await page.getByTestId('rejected-rows').innerText()).toMatch(
      /roster row 2\s+ID number check character is wrong[\s\S]*roster row 3\s+ID number is empty/,
    );
    expect(await page.getByTestId('roster-confirm').isDisabled()).toBe(true);
    await page.getByTestId('roster-cancel').click();
    expect(await page.getByTestId('roster-preview').count()).toBe(0);
    expect(await residents()).toBe(before);
    await page.close();
  });

  it('gives the reasons in Chinese on the Chinese page, naming a sheet it could not read', async () => {
    const page = await staffPage('zh-CN');
    await page.getByTestId('roster-file').setInputFiles({
      name: '花名册.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('姓名,身份证号,楼栋,房号\n张三,110105194912310021,1,101\n李四,,1,102\n'),
    });
    await page.getByTestId('roster-preview').waitFor();
    expect(await page.getByTestId('rejected-rows').innerText()).toMatch(
      /花名册 第 2 行\s+身份证号校验位错误[\s\S]*花名册 第 3 行\s+身份证号为空/,
    );

    await page
      .getByTestId('roster-file')
      .setInputFiles({ name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,手机号,楼栋\n张三,13800138000,1\n') });
    await page.locator('[data-testid=roster-preview][data-accepted="0"]').waitFor();
    expect(await page.getByTestId('sheet-problem').innerText()).toBe(
      '工作表“名单”：前 10 行中没有找到表头（需要“姓名”和“身份证号”列），未导入',
    );
    await page.close();
  });
});
