// The server goes away in the middle of the morning: the kiosk keeps scanning into its outbox
// ("offline, N pending"), and when the server is back every scan is placed exactly once, in order.
// Each story compares with what was there before it, so either may run first.
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/schema';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { openBrowserSite, scannerBurst, type BrowserSite } from '../support/browser';
import { PINS, type TestSite } from '../support/testServer';
import { groupAction, ok, residents, sync } from '../server/helpers';

const PEOPLE = residents(0, 45);

let site: TestSite;
let browser: Browser;
let env: BrowserSite;
/** One kiosk device: its pages share the outbox (IndexedDB) and the saved sign-in. */
let kiosk: BrowserContext;
let codes: Map<string, string>;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv(PEOPLE))).status).toBe(200);
  codes = await site.codesByName('1');
  kiosk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await env?.close();
});

const codeOf = (i: number) => codes.get(PEOPLE[i].name)!;

async function openKiosk(): Promise<Page> {
  const page = await kiosk.newPage();
  await page.goto(`${site.url}/kiosk?point=A`);
  await page.locator('[data-testid=pin-input], [data-testid=scan-input]').first().waitFor();
  if (await page.getByTestId('pin-input').isVisible()) {
    await page.getByTestId('pin-input').fill(PINS.kiosk);
    await page.getByTestId('pin-submit').click();
  }
  await page.getByTestId('scan-input').waitFor();
  return page;
}

/** A keyboard-wedge scanner: fast keystrokes ending in Enter, into the focused scan field. */
async function scanCode(page: Page, code: string): Promise<void> {
  await scannerBurst(page, code);
}

/** The database itself: how many live places each resident has, and how many scan replies are stored. */
async function placesInDb(): Promise<{ perResident: number[]; replies: number }> {
  // The store keeps its connection private; the test reads the very tables the server wrote.
  const db = (site.server.store as unknown as { conn: { db: Kysely<Database> } }).conn.db;
  const rows = await db
    .selectFrom('members')
    .select(['resident_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '<>', 'absent')
    .groupBy('resident_id')
    .execute();
  const replies = await db
    .selectFrom('requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { perResident: rows.map((r) => Number(r.n)), replies: Number(replies.n) };
}

/** Withdraws what the other story left forming at A, so the next scan starts a group; the next group's number. */
async function startAfresh(): Promise<number> {
  const desk = await site.connect('kiosk');
  const atA = (await sync(desk)).groups.filter((g) => g.point === 'A');
  for (const g of atA.filter((x) => x.state === 'forming')) ok(await groupAction(desk, { groupId: g.id, action: 'cancel' }));
  return 1 + Math.max(0, ...atA.map((g) => Number(g.label.slice(2))));
}
const label = (n: number) => `A-${String(n).padStart(3, '0')}`;

describe('kiosk offline outbox', { timeout: 120_000 }, () => {
  it('keeps scanning while the server is down and places every scan exactly once when it is back', async () => {
    const next = await startAfresh();
    const { counts: before, groups: earlier } = await sync(await site.connect('staff'));
    const dbBefore = await placesInDb();
    const page = await openKiosk();

    // 10 scans with the server up.
    for (let i = 0; i < 10; i++) {
      await scanCode(page, codeOf(i));
      await page.locator('[data-testid=scan-outcome][data-kind=added]', { hasText: `${(i % 10) + 1}/10` }).waitFor({ timeout: 5000 });
    }

    // The server goes away mid-run; the kiosk says so and keeps taking scans.
    await site.stop();
    await page.locator('[data-testid=outbox-status][data-pending="0"]').waitFor({ timeout: 10_000 });
    for (let i = 10; i < 40; i++) {
      await scanCode(page, codeOf(i));
      await page.locator(`[data-testid=outbox-status][data-pending="${i - 9}"]`).waitFor({ timeout: 5000 });
    }
    expect(await page.getByTestId('outbox-status').textContent()).toContain('30');
    expect(await page.getByTestId('scan-outcome').getAttribute('data-kind')).toBe('pending');

    // Back: the outbox replays in order and empties; the recent list shows the real outcomes.
    await site.start();
    await page.getByTestId('outbox-status').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('[data-testid=scan-outcome][data-kind=added]', { hasText: label(next + 3) }).waitFor({ timeout: 5000 });
    const recentKinds = await page
      .locator('[data-testid=recent-scans] li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    expect(recentKinds.length).toBeGreaterThan(0);
    expect(new Set(recentKinds)).toEqual(new Set(['added']));

    // A fresh snapshot: 40 more people, in four new groups of 10 filled in scan order.
    const snap = await sync(await site.connect('staff'));
    expect(snap.counts.registered).toBe(before.registered + 40);
    const groups = snap.groups.filter((g) => g.point === 'A' && !earlier.some((e) => e.id === g.id)).sort((a, b) => a.id - b.id);
    expect(groups.map((g) => [g.label, g.members.length])).toEqual([0, 1, 2, 3].map((k) => [label(next + k), 10]));
    const maskedInOrder = groups.flatMap((g) => [...g.members].sort((a, b) => a.position - b.position).map((m) => m.maskedName));
    expect(maskedInOrder).toEqual(PEOPLE.slice(0, 40).map((p) => `${p.name[0]}*${p.name.slice(-1)}`));

    // The database: every one of the 40 placed exactly once, one stored reply per scan.
    const db = await placesInDb();
    expect(db.perResident).toHaveLength(dbBefore.perResident.length + 40);
    expect(db.perResident.every((n) => n === 1)).toBe(true);
    expect(db.replies).toBe(dbBefore.replies + 40);
    await page.close();
  });

  it('keeps the outbox across a closed kiosk page, and sends it when the kiosk opens again', async () => {
    const { registered } = (await sync(await site.connect('staff'))).counts;
    const dbBefore = await placesInDb();
    const page = await openKiosk();
    await site.stop();
    await page.locator('[data-testid=outbox-status][data-pending="0"]').waitFor({ timeout: 10_000 });
    for (let i = 40; i < 45; i++) {
      await scanCode(page, codeOf(i));
      await page.locator(`[data-testid=outbox-status][data-pending="${i - 39}"]`).waitFor({ timeout: 5000 });
    }
    // The tab is closed (or the kiosk restarted) while offline; the scans are on disk.
    await page.close();
    await site.start();
    const again = await openKiosk();
    await expect
      .poll(async () => (await sync(await site.connect('staff'))).counts.registered, { timeout: 20_000, interval: 500 })
      .toBe(registered + 5);
    await again.getByTestId('outbox-status').waitFor({ state: 'detached', timeout: 10_000 });
    // The reopened kiosk lists the five replayed scans with their real outcomes.
    await expect.poll(() => again.locator('[data-testid=recent-scans] li[data-kind=added]').count(), { timeout: 5000 }).toBe(5);
    const db = await placesInDb();
    expect(db.perResident).toHaveLength(dbBefore.perResident.length + 5);
    expect(db.perResident.every((n) => n === 1)).toBe(true);
    await again.close();
  });
});
