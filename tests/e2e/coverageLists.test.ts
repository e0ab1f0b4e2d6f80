import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import type { RosterEntry } from '../../shared/roster';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { newKey, PINS, type TestSite } from '../support/testServer';
import { idNumberOf, resident } from '../server/helpers';
import { householdKey } from '../../shared/household';

// Staff read the coverage page and the home-visit list the way they count buildings (2 before 10),
// with column headers, a filter, a word on every button, a line saying what an add did, and a name
// for the people nobody recorded a building for.

let site: TestSite;
let browser: Browser;
let env: BrowserSite;

/** Two immobile people in each of buildings 1, 2, 10 and 11 (listed out of order, as a sheet might be). */
const people: RosterEntry[] = ['10', '2', '11', '1'].flatMap((building, b) =>
  [0, 1].map((k) => resident(b * 2 + k, ['immobile'], { building, room: String(101 + k) })),
);
/** A household with no tags: on the visit list only when staff add it. */
const family: RosterEntry[] = [resident(20, [], { building: '2', room: '301' }), resident(21, [], { building: '2', room: '301' })];

async function staffPage(path: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
  return openSignedIn(page, `${site.url}${path}`, PINS.staff);
}

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv([...people, ...family]))).status).toBe(200);
  // Someone who came without a building on record (a walk-in the sampler typed only a name for).
  await site.server.queue.walkIn(
    { role: 'kiosk', device: 'e2e' },
    { key: newKey(), point: 'A', name: '赵无址', idNumber: idNumberOf(900, '310101') },
  );
});

afterAll(async () => {
  await env?.close();
});

describe('coverage and visit lists', () => {
  it('orders buildings naturally, names the unrecorded building and keeps the progress column in line', async () => {
    const page = await staffPage('/coverage');
    const rows = page.locator('[data-testid=coverage] tbody tr[data-testid^=coverage-building-]');
    await rows.first().waitFor();
    // The walk-in without a building first, then 1, 2, 10, 11 (not 1, 10, 11, 2).
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))).toEqual(
      ['', '1', '2', '10', '11'].map((b) => `coverage-building-${b}`),
    );
    expect(await page.getByTestId('coverage-building-').locator('td').first().innerText()).toBe('未登记楼栋');
    // Every progress cell is a real table cell in the progress column (a flex cell slid out of line).
    const lefts = await rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const cell = tr.children[1] as HTMLElement;
        return { display: getComputedStyle(cell).display, left: Math.round(cell.getBoundingClientRect().left) };
      }),
    );
    expect(new Set(lefts.map((c) => c.display))).toEqual(new Set(['table-cell']));
    const header = await page.getByRole('columnheader', { name: '进度' }).evaluate((th) => Math.round(th.getBoundingClientRect().left));
    expect(new Set(lefts.map((c) => c.left))).toEqual(new Set([header]));
    await page.close();
  });

  it('lists home visits by building in counting order, with headers, a filter and labelled buttons', async () => {
    const page = await staffPage('/coverage');
    const panel = page.getByTestId('visit-panel');
    await panel.locator('tbody tr').first().waitFor();
    const buildings = await panel.locator('.floor h3').evaluateAll((hs) => hs.map((h) => h.textContent!.trim().split(' ')[0]));
    expect(buildings).toEqual(['1', '2', '10', '11']);
    await expect.poll(() => panel.getByRole('columnheader', { name: '户' }).count()).toBe(4);
    expect(await panel.getByRole('columnheader', { name: '状态' }).count()).toBe(4);
    // Selecting a floor is a button that says so, and ticks that floor's people.
    await panel.getByRole('button', { name: '选中本层' }).first().click();
    await expect.poll(() => panel.getByText('已选 2 人').count()).toBe(1);
    expect(await panel.getByRole('checkbox', { name: `选择 ${people.find((p) => p.building === '1')!.name}` }).isChecked()).toBe(true);
    // The filter: nobody is sampled at home yet.
    await page.getByTestId('visit-filter-status').selectOption('done');
    await expect.poll(() => panel.getByText('显示 0 / 8 人').count()).toBe(1);
    expect(await panel.locator('tbody tr').count()).toBe(0);
    await page.getByTestId('visit-filter-status').selectOption('pending');
    await expect.poll(() => panel.locator('tbody tr').count()).toBe(8);
    await page.close();
  });

  it('says what adding a household did, in both languages', async () => {
    const page = await staffPage('/coverage');
    const panel = page.getByTestId('visit-panel');
    await panel.locator('tbody tr').first().waitFor();
    const input = panel.getByPlaceholder('添加户（如 3-2-501）');
    await input.fill('9-9-909');
    await panel.getByRole('button', { name: '添加', exact: true }).click();
    await panel.getByRole('alert').waitFor({ timeout: 10_000 });
    await expect.poll(() => panel.getByRole('alert').innerText()).toBe('花名册里没有这些户：9-9-909，没有加入任何人。');
    const home = householdKey(family[0]);
    await input.fill(home);
    await panel.getByRole('button', { name: '添加', exact: true }).click();
    await panel.getByTestId('visit-added').waitFor({ timeout: 10_000 });
    expect(await panel.getByTestId('visit-added').innerText()).toBe(`已把 ${home} 的 2 人加入上门名单。`);
    expect(await panel.getByRole('alert').count()).toBe(0);
    await expect.poll(() => panel.locator('tbody tr').count()).toBe(10);

    const en = await staffPage('/coverage', 'en');
    const enPanel = en.getByTestId('visit-panel');
    await enPanel.locator('tbody tr').first().waitFor();
    await enPanel.getByRole('columnheader', { name: 'Reason' }).first().waitFor();
    expect(await enPanel.getByRole('button', { name: 'Select this floor' }).count()).toBe(5);
    await page.close();
    await en.close();
  });
});
