import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { generateCommunity } from '../../server/demo/community';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { openBrowserSite, openSignedIn, scannerBurst, type BrowserSite } from '../support/browser';
import { PINS, type TestSite } from '../support/testServer';

// The first day at a sampling point, in a real browser: staff import the roster on the staff
// page (checked, then confirmed), the sampler scans 25 codes at the kiosk, and the hall display
// shows groups of 10, 10 and 5.

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

describe('roster to display', () => {
  it('imports a roster, scans 25 codes at the kiosk and shows groups of 10, 10 and 5 on the display', async () => {
    // Residents without tags: everyone goes into ordinary pooled groups.
    const residents = generateCommunity({ seed: 7, buildings: 3, residents: 120 })
      .filter((r) => r.tags.length === 0)
      .slice(0, 30);
    expect(residents.length).toBe(30);

    const staff = await openSignedIn(await browser.newPage(), `${site.url}/staff`, PINS.staff);
    await staff.getByTestId('roster-file').setInputFiles({
      name: '花名册.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rosterCsv(residents)),
    });
    // The file is checked first; nothing is written until staff confirm.
    await staff.locator('[data-testid=roster-preview][data-accepted="30"]').waitFor();
    await staff.getByTestId('roster-confirm').click();
    const report = staff.getByTestId('import-report');
    await report.waitFor();
    expect(await report.getAttribute('data-added')).toBe('30');
    expect(await report.getAttribute('data-rejected')).toBe('0');

    const buildings = [...new Set(residents.map((r) => r.building))];
    const codes = (await Promise.all(buildings.map((b) => site.codes(b))))
      .flat()
      .flatMap((h) => h.members.map((m) => m.code))
      .slice(0, 25);
    expect(codes).toHaveLength(25);

    const kiosk = await openSignedIn(await browser.newPage(), `${site.url}/kiosk?point=A`, PINS.kiosk);
    const input = kiosk.getByTestId('scan-input');
    await input.waitFor();
    for (const [i, code] of codes.entries()) {
      // A keyboard-wedge scanner: fast keystrokes ending in Enter, into the focused scan field.
      await scannerBurst(kiosk, code);
      const label = `A-00${Math.floor(i / 10) + 1}`;
      await kiosk
        .locator('[data-testid=scan-outcome][data-kind=added]', { hasText: `${(i % 10) + 1}/10` })
        .filter({ hasText: label })
        .waitFor({ timeout: 5000 });
    }

    const display = await browser.newPage();
    await display.goto(`${site.url}/display`);
    for (const [label, size] of [
      ['A-001', 10],
      ['A-002', 10],
      ['A-003', 5],
    ] as const) {
      const group = display.getByTestId(`group-${label}`).first();
      await group.waitFor();
      expect(await group.getAttribute('data-size')).toBe(String(size));
    }
    expect(await display.getByTestId('group-A-004').count()).toBe(0);
  });
});
