import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generateCommunity } from '../../server/demo/community';
import { rosterCsv } from '../../server/demo/rosterCsv';
import type { Actor } from '../../shared/roles';
import { householdKey } from '../../shared/household';
import { ROUNDS_API } from '../../shared/roundsApi';
import type { RosterEntry } from '../../shared/roster';
import { openBrowserSite, openSignedIn, type BrowserSite } from '../support/browser';
import { newKey, PINS, type TestSite } from '../support/testServer';

// Staff watch the round on the coverage page: numbers per building match what was sampled, they
// move by themselves as tubes are sealed, and a building opens to the names still missing.

const STAFF: Actor = { role: 'staff', device: 'e2e' };
let site: TestSite;
let browser: Browser;
let env: BrowserSite;

const residents = generateCommunity({ seed: 3, buildings: 3, residents: 90, today: new Date(Date.UTC(2025, 5, 15)) })
  // People without tags: they come to a point and share ordinary pooled tubes (building 3 is sealed).
  .filter((r) => r.tags.length === 0);

/** Scans people at point A and seals their group: they are sampled. */
async function sampleAtPointA(people: RosterEntry[], tube: string): Promise<void> {
  const queue = site.server.queue;
  let groupId = 0;
  for (const p of people) {
    const outcome = await queue.scan(STAFF, { key: newKey(), point: 'A', input: p.idNumber });
    if (outcome.kind !== 'added') throw new Error(`unexpected ${outcome.kind}`);
    groupId = outcome.group.id;
  }
  const group = await site.server.store.read((tx) => tx.queue().lockGroup(groupId));
  if (group?.state === 'forming') await queue.groupAction(STAFF, { key: newKey(), groupId, action: 'close' });
  await queue.groupAction(STAFF, { key: newKey(), groupId, action: 'start', tubeCode: tube });
  await queue.groupAction(STAFF, { key: newKey(), groupId, action: 'seal' });
}

async function attr(page: Page, testId: string, name: string): Promise<string | null> {
  return page.getByTestId(testId).getAttribute(name);
}

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  const { status } = await site.importRoster(rosterCsv(residents));
  expect(status).toBe(200);
});

afterAll(async () => {
  await env?.close();
});

describe('the staff coverage view', () => {
  it('shows per-building numbers, updates live and drills down to who is missing', async () => {
    const inOne = residents.filter((r) => r.building === '1');
    // Building 1: the first ten are sampled; everyone else is still due.
    await sampleAtPointA(inOne.slice(0, 10), 'T00000001');

    const page = await browser.newPage();
    await openSignedIn(page, `${site.url}/coverage`, PINS.staff);
    await page.getByTestId('coverage-totals').waitFor();
    expect(await attr(page, 'coverage-totals', 'data-due')).toBe(String(residents.length));
    expect(await attr(page, 'coverage-totals', 'data-sampled')).toBe('10');
    expect(await attr(page, 'coverage-building-1', 'data-due')).toBe(String(inOne.length));
    expect(await attr(page, 'coverage-building-1', 'data-sampled')).toBe('10');
    expect(await attr(page, 'coverage-building-2', 'data-sampled')).toBe('0');
    await page.getByTestId('coverage-chart').waitFor();

    // Five more sampled: the page follows without a reload.
    await sampleAtPointA(inOne.slice(10, 15), 'T00000002');
    await page.locator('[data-testid=coverage-totals][data-sampled="15"]').waitFor({ timeout: 10_000 });
    expect(await attr(page, 'coverage-building-1', 'data-sampled')).toBe('15');

    // The names still missing in building 1, by household.
    await page.getByTestId('drill-1').click();
    await page.getByTestId('drill').waitFor();
    const missing = inOne.slice(15);
    const firstMissing = missing[0];
    const row = page.getByTestId(`drill-${householdKey(firstMissing)}`).filter({ hasText: firstMissing.name });
    expect(await row.getAttribute('data-status')).toBe('not-yet');
    expect(await page.locator('[data-testid=drill] [data-status=not-yet]').count()).toBe(missing.length);
  });

  it('puts the buildings invited now on the hall display and the volunteer tablet', async () => {
    const now = Date.now();
    const slots = [
      { building: '2', point: 'A', start: new Date(now - 60_000).toISOString(), end: new Date(now + 30 * 60_000).toISOString() },
      { building: '1', point: 'A', start: new Date(now + 30 * 60_000).toISOString(), end: new Date(now + 60 * 60_000).toISOString() },
    ];
    const display = await browser.newPage();
    await display.goto(`${site.url}/display`);
    await display.getByTestId('clock').waitFor();
    const res = await fetch(site.url + ROUNDS_API.schedule, {
      method: 'POST',
      headers: { authorization: `Bearer ${await site.token('staff')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slots }),
    });
    expect(res.status).toBe(200);
    // Heard live, without a reload: only building 2 is invited now.
    await display.locator('[data-testid=invited-buildings][data-buildings="2"]').waitFor({ timeout: 10_000 });

    const tablet = await openSignedIn(await browser.newPage(), `${site.url}/volunteer`, PINS.volunteer);
    await tablet.locator('[data-testid=invited-buildings][data-buildings="2"]').waitFor({ timeout: 10_000 });
  });
});
