import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generateCommunity } from '../../server/demo/community';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { PINS, type TestSite } from '../support/testServer';
import { ROUNDS_API, type HomeVisit } from '../../shared/roundsApi';
import { groupAction, ok, scan } from '../server/helpers';
import { ok as okHttp } from '../server/roundsHttp';

// In a real browser: a group of ten is sampled; on the lab page staff box the tube, the courier
// and the lab receiver sign, the lab's file says 混管阳性; the ten are on the retest list, and
// one of them, checking their own code on the turn page, is told to come back for a retest.

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

describe('lab results in the browser', () => {
  it('boxes, hands over and receives a tube, imports a positive pool, and the resident sees "retest"', async () => {
    const residents = generateCommunity({ seed: 9, buildings: 2, residents: 60 })
      .filter((r) => r.tags.length === 0)
      .slice(0, 10);
    expect((await site.importRoster(rosterCsv(residents))).body.added).toBe(10);
    const codes = (await Promise.all([...new Set(residents.map((r) => r.building))].map((b) => site.codes(b))))
      .flat()
      .flatMap((h) => h.members.map((m) => m.code));
    const kiosk = await site.connect('kiosk', 'kiosk-A1');
    let groupId = 0;
    for (const code of codes) {
      const outcome = ok(await scan(kiosk, code));
      if (outcome.kind === 'added') groupId = outcome.group.id;
    }
    ok(await groupAction(kiosk, { groupId, action: 'start', tubeCode: 'TB000001' }));
    ok(await groupAction(kiosk, { groupId, action: 'seal' }));

    const page: Page = await browser.newPage();
    await openSignedIn(page, `${site.url}/lab`, PINS.staff);
    await page.locator('[data-testid="count-sealed"][data-n="1"]').waitFor();

    // Scan the box code, then the tube; close the box.
    await page.getByTestId('box-code').fill('BOX-01');
    await page.getByTestId('box-code').press('Enter');
    await page.getByTestId('tube-code').fill('tb000001');
    await page.getByTestId('tube-code').press('Enter');
    await page.locator('[data-testid="current-box"][data-tubes="1"]').waitFor();
    await page.getByTestId('close-box').click();
    await page.locator('[data-testid="box-BOX-01"][data-state="closed"]').waitFor();

    // The courier confirms with name and phone; the lab receiver with the count.
    await page.getByTestId('courier-name').fill('李师傅');
    await page.getByTestId('courier-phone').fill('13800001111');
    await page.getByTestId('hand-over').click();
    await page.locator('[data-testid="box-BOX-01"][data-state="handed-over"]').waitFor();
    await page.getByTestId('receiver-name').fill('王医生');
    await page.getByTestId('received-count').fill('1');
    await page.getByTestId('receive').click();
    await page.locator('[data-testid="box-BOX-01"][data-state="received"]').waitFor();
    await page.locator('[data-testid="reconciliation"][data-balanced="true"]').waitFor();
    expect(await page.getByTestId('mismatch').count()).toBe(0);

    await page.getByTestId('results-file').setInputFiles({
      name: '检测结果.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\uFEFF试管编码,结果\r\nTB000001,混管阳性\r\n'),
    });
    const report = page.getByTestId('results-report');
    await report.waitFor();
    expect(await report.getAttribute('data-applied')).toBe('1');
    expect(await report.getAttribute('data-retests')).toBe('10');
    await page.locator('[data-testid="retest-list"] tbody tr').nth(9).waitFor();
    expect(await page.locator('[data-testid="retest-list"] tbody tr').count()).toBe(10);
    expect(await page.getByTestId('retest-list').textContent()).toContain(residents[0].phone || residents[0].name);
    // One of them cannot come back to the point: staff send the home-sampling team.
    const first = page.locator('[data-testid="retest-list"] tbody tr').first();
    const name = (await first.locator('td').first().textContent())!;
    await first.getByTestId('retest-to-home').click();
    await page.getByTestId('retest-sent').filter({ hasText: name }).waitFor();
    expect((await okHttp<HomeVisit[]>(site, ROUNDS_API.homeVisits)).map((v) => [v.name, v.reason, v.status])).toEqual([
      [name, 'retest', 'pending'],
    ]);

    // The resident checks their own code on the turn page: retest needed; a mistyped code is refused.
    const phone = await browser.newPage();
    await phone.goto(`${site.url}/turn/${groupId}`);
    await phone.getByTestId('own-code').fill(codes[0].slice(0, -1) + (codes[0].endsWith('A') ? 'B' : 'A'));
    await phone.getByTestId('own-check').click();
    await phone.getByTestId('own-error').waitFor();
    await phone.getByTestId('own-code').fill(codes[0]);
    await phone.getByTestId('own-check').click();
    await phone.locator('[data-testid="own-status"][data-status="retest-needed"]').waitFor();
    expect(await phone.getByTestId('own-status').textContent()).toContain('待复核');
  }, 90_000);
});
