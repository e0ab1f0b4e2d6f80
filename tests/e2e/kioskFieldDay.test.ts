// Field-day findings at the kiosk and on the volunteer tablet (#14): the green channel's own group
// is seen, closed and sent in from both; a scanner burst right after a tap on the tube mode or the
// point list is still a scan; the tube mode goes back to pooled; an undone scan offers no ticket.
// Each story scans its own people and finds its groups by state, so any may run first.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { openBrowserSite, openSignedIn, scannerBurst, type BrowserSite } from '../support/browser';
import { PINS, type TestSite } from '../support/testServer';
import { idNumberOf, resident, residents, sync } from '../server/helpers';

const PEOPLE = residents(0, 9);
const ELDERS = [resident(60, ['elderly']), resident(61, ['elderly'])];

let site: TestSite;
let browser: Browser;
let env: BrowserSite;
let kiosk: Page;
let codes: Map<string, string>;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  // The tag as a community writes it in its sheet: 老人.
  const csv = rosterCsv([...PEOPLE, ...ELDERS]).replace(/,elderly$/gm, ',老人');
  expect((await site.importRoster(csv)).status).toBe(200);
  codes = await site.codesByName('1');
  kiosk = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await openSignedIn(kiosk, `${site.url}/kiosk?point=A`, PINS.kiosk);
  await kiosk.getByTestId('scan-input').waitFor();
});

afterAll(async () => {
  await env?.close();
});

const codeOf = (name: string) => {
  const code = codes.get(name);
  if (!code) throw new Error(`no code for ${name}`);
  return code;
};

const recent = (page: Page) => page.getByTestId('recent-scan');

async function scanned(page: Page, name: string): Promise<void> {
  const before = await recent(page).count();
  await scannerBurst(page, codeOf(name));
  await page.locator('[data-testid=scan-outcome][data-kind=added]', { hasText: name }).waitFor({ timeout: 5000 });
  expect(await recent(page).count()).toBe(Math.min(before + 1, 10));
}

/** Screenshots for a human check, in Chinese and then in English; the page is left in Chinese. */
async function screenshots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `/tmp/kshots/${name}-zh.png`, fullPage: true });
  await page.getByTestId('language-switch').filter({ hasText: 'English' }).click();
  await page
    .getByRole('heading', { name: /Group .* \d+\/10/ })
    .first()
    .waitFor();
  await page.screenshot({ path: `/tmp/kshots/${name}-en.png`, fullPage: true });
  await page.getByTestId('language-switch').filter({ hasText: '中文' }).click();
  await page
    .getByRole('heading', { name: /第 .* 组 \d+\/10/ })
    .first()
    .waitFor();
}

/** The labels of the forming groups at point A, the green channel's and the ordinary one. */
async function forming(): Promise<{ priority: string; ordinary: string }> {
  const groups = (await sync(await site.connect('kiosk'))).groups.filter((g) => g.state === 'forming' && g.point === 'A');
  return { priority: groups.find((g) => g.priority)!.label, ordinary: groups.find((g) => !g.priority)!.label };
}

const formingLabels = (page: Page) =>
  page
    .getByTestId('forming-group')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-label')}${e.hasAttribute('data-priority') ? '*' : ''}`));

describe('the green channel', () => {
  it('shows the priority group beside the ordinary one at the kiosk, marked, and closes and sends it from there', async () => {
    await scanned(kiosk, PEOPLE[0].name);
    await scanned(kiosk, PEOPLE[1].name);
    await scanned(kiosk, ELDERS[0].name);
    const { priority, ordinary } = await forming();
    // Both forming groups, the green channel's first and marked as such.
    await expect.poll(() => formingLabels(kiosk)).toEqual([`${priority}*`, ordinary]);
    const green = kiosk.locator(`[data-testid=forming-group][data-label="${priority}"]`);
    expect(await green.getByText('绿色通道').count()).toBe(1);
    expect(await green.getByRole('heading').textContent()).toContain(`${priority} 组 1/10`);
    await screenshots(kiosk, 'kiosk-two-forming');

    await kiosk.getByRole('button', { name: `第 ${priority} 组立即截止` }).click();
    await kiosk.locator(`[data-testid=desk-${priority}][data-state=waiting]`).waitFor({ timeout: 5000 });
    await expect.poll(() => formingLabels(kiosk)).toEqual([ordinary]);
  });

  it('shows both forming groups on the volunteer tablet, prompts to close a priority group that waited too long, and closes it', async () => {
    await scanned(kiosk, PEOPLE[8].name);
    await scanned(kiosk, ELDERS[1].name);
    const { priority, ordinary } = await forming();

    const tablet = await browser.newPage({ viewport: { width: 768, height: 1024 } });
    // The tablet's clock, moved on below: the prompt reads how long the group has waited.
    await tablet.clock.install();
    await openSignedIn(tablet, `${site.url}/volunteer?point=A`, PINS.volunteer);
    await expect.poll(() => formingLabels(tablet)).toEqual([`${priority}*`, ordinary]);
    expect(await tablet.getByTestId('priority-prompt').count()).toBe(0);
    await screenshots(tablet, 'volunteer-two-forming');

    // Ten minutes (the default setting) on: the tablet asks for the green channel's group to be sent in.
    await tablet.clock.setSystemTime(Date.now() + 11 * 60_000);
    const prompt = tablet.getByRole('alert').filter({ hasText: priority });
    await prompt.waitFor({ timeout: 15_000 });
    expect(await prompt.textContent()).toContain('分钟');
    await tablet.screenshot({ path: '/tmp/kshots/volunteer-prompt-zh.png', fullPage: true });

    await tablet.getByRole('button', { name: `第 ${priority} 组立即截止` }).click();
    await tablet.locator(`[data-testid=vgroup-${priority}][data-state=waiting]`).waitFor({ timeout: 5000 });
    await expect.poll(() => formingLabels(tablet)).toEqual([ordinary]);
    expect(await tablet.getByTestId('priority-prompt').count()).toBe(0);
    // The kiosk sees it go as well.
    await expect.poll(() => formingLabels(kiosk)).toEqual([ordinary]);
    await tablet.close();
  });
});

describe('no scan lost after a tap', () => {
  it('takes a burst right after the single-tube button as a scan, shows the mode, and is back to pooled after one tube', async () => {
    const pooled = kiosk.getByRole('radio', { name: '混采（10 合 1）' });
    const single = kiosk.getByRole('radio', { name: '单管单采' });
    expect(await pooled.isChecked()).toBe(true);
    expect(await kiosk.getByTestId('tube-mode-note').count()).toBe(0);
    await single.click();
    expect(await single.isChecked()).toBe(true);
    // Not the default: said in words, beside the buttons.
    expect(await kiosk.getByRole('status').filter({ hasText: '单管单采' }).textContent()).toContain('自动回到混采');
    // A finger-sized button.
    const box = (await kiosk.locator('.tube-mode-option', { has: single }).boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(48);
    await kiosk.screenshot({ path: '/tmp/kshots/kiosk-single-zh.png' });

    await scanned(kiosk, PEOPLE[2].name);
    expect(await kiosk.getByTestId('scan-outcome').textContent()).toContain('1/1');
    expect(await recent(kiosk).first().getAttribute('data-via')).toBe('scanner');
    await expect.poll(() => pooled.isChecked()).toBe(true);
    expect(await kiosk.getByTestId('tube-mode-note').count()).toBe(0);

    // The next person goes to a pooled group of ten again.
    await scanned(kiosk, PEOPLE[3].name);
    expect(await kiosk.getByTestId('scan-outcome').textContent()).toMatch(/\d+\/10/);
  });

  it('takes a burst while the point list has focus as a scan, and names the point "A 点"', async () => {
    const list = kiosk.getByRole('combobox', { name: '采样点' });
    expect(await list.locator('option').allTextContents()).toEqual(['A 点']);
    await list.selectOption('A');
    // Tapped and left open or chosen again: no change, so focus stays on the list.
    await list.focus();
    expect(await list.evaluate((el) => el === document.activeElement)).toBe(true);
    await scanned(kiosk, PEOPLE[4].name);
    expect(await list.inputValue()).toBe('A');
  });

  it('offers no ticket for an undone scan', async () => {
    await scanned(kiosk, PEOPLE[5].name);
    const ticket = kiosk.getByRole('button', { name: '打印排队小票' });
    await ticket.waitFor();
    await recent(kiosk).first().getByRole('button', { name: '撤销' }).click();
    await kiosk.locator('[data-testid=scan-outcome][data-undone=true]').waitFor({ timeout: 5000 });
    expect(await ticket.count()).toBe(0);
  });

  it('opens the walk-in form in view', async () => {
    await kiosk.evaluate(() => window.scrollTo(0, 0));
    await scannerBurst(kiosk, idNumberOf(900));
    await kiosk.locator('[data-testid=scan-outcome][data-kind=not-on-roster]').waitFor({ timeout: 5000 });
    await kiosk.getByTestId('walk-in-open').click();
    const form = kiosk.getByTestId('walk-in-form');
    await form.waitFor();
    const inView = () =>
      form.evaluate((el) => {
        const r = el.getBoundingClientRect();
        // Whole, give or take a subpixel of scrolling.
        return r.top > -1 && r.bottom < window.innerHeight + 1;
      });
    await expect.poll(inView).toBe(true);
    // Closed again: the next story's scans go to the scan field.
    await form.getByRole('button', { name: '取消' }).click();
    await form.waitFor({ state: 'hidden' });
  });

  it('refuses a scan that comes while the walk-in form has the keyboard, saying so, and clicks nothing', async () => {
    const form = kiosk.getByTestId('walk-in-form');
    await scannerBurst(kiosk, idNumberOf(901));
    await kiosk.locator('[data-testid=scan-outcome][data-kind=not-on-roster]').waitFor({ timeout: 5000 });
    await kiosk.getByTestId('walk-in-open').click();
    await form.waitFor();
    const cancel = form.getByRole('button', { name: '取消' });
    await cancel.focus();
    const before = await recent(kiosk).count();
    await scannerBurst(kiosk, codeOf(PEOPLE[6].name));
    await kiosk.getByRole('alert').filter({ hasText: '刚才的扫码没有登记' }).waitFor({ timeout: 5000 });
    // Its Enter did not press the focused button, and nothing was scanned.
    expect(await form.isVisible()).toBe(true);
    expect(await recent(kiosk).count()).toBe(before);
    // Form cancelled: the message goes, and the same scan is taken.
    await cancel.click();
    expect(await kiosk.getByTestId('scan-refused').count()).toBe(0);
    await scanned(kiosk, PEOPLE[6].name);
  });
});
