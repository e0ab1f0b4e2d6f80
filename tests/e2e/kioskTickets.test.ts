// Paper at the kiosk: a quarantined-style single-tube scan, a group ticket for a resident without
// a phone, a tube label printed instead of a pre-labelled tube, and the staff page's conflict list.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { openBrowserSite, openSignedIn, scannerBurst, type BrowserSite } from '../support/browser';
import { newKey, PINS, type TestSite } from '../support/testServer';
import { ok, residents, sync } from '../server/helpers';

const PEOPLE = residents(0, 4);

let site: TestSite;
let browser: Browser;
let env: BrowserSite;
let codes: Map<string, string>;

beforeAll(async () => {
  env = await openBrowserSite();
  ({ site, browser } = env);
  expect((await site.importRoster(rosterCsv(PEOPLE))).status).toBe(200);
  codes = await site.codesByName('1');
});

afterAll(async () => {
  await env?.close();
});

async function signedIn(path: string, pin: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Count print calls instead of opening a print dialog.
  await page.addInitScript(() => {
    const w = window as unknown as { printed: string[] };
    w.printed = [];
    window.print = () => {
      w.printed.push([...document.querySelectorAll('body.printing-sheet > .print-sheet.printing')].map((e) => e.textContent).join('|'));
    };
  });
  await openSignedIn(page, site.url + path, pin);
  return page;
}

const printed = (page: Page) => page.evaluate(() => (window as unknown as { printed: string[] }).printed);

describe('tickets, tube labels and conflicts', () => {
  it('scans in single-tube mode, prints the group ticket and a tube label; the labelled group still waits to be called', async () => {
    const page = await signedIn('/kiosk?point=A', PINS.kiosk);
    await page.getByTestId('scan-input').waitFor();
    await page.getByTestId('tube-mode-single').check({ force: true });
    await page.getByTestId('scan-input').focus();
    await scannerBurst(page, codes.get(PEOPLE[0].name)!);
    const outcome = page.locator('[data-testid=scan-outcome][data-kind=added]');
    await outcome.waitFor({ timeout: 5000 });
    // The only single tube here (the other story scans into a pooled group): its label, whatever came first.
    const group = (await sync(await site.connect('kiosk'))).groups.find((g) => g.kind === 'single')!;
    const label = group.label;
    expect(await outcome.textContent()).toContain(label);

    // The ticket: group number and a QR code of the turn page, printed on its own.
    await page.getByTestId('ticket-print').click();
    await expect.poll(() => printed(page)).toHaveLength(1);
    expect((await printed(page))[0]).toContain(label);
    expect(group).toMatchObject({ kind: 'single', state: 'waiting', poolSize: 1 });
    expect(await page.locator('[data-testid=group-ticket] img').getAttribute('alt')).toBe(`${site.url}/turn/${group.id}`);

    // No pre-labelled tube: the kiosk prints one. The group keeps its place in the queue (the TV
    // still calls it); the desk shows the labelled code and starts with it once the group is in.
    await page.getByRole('button', { name: '打印管码' }).click();
    await page.getByTestId(`labelled-${label}`).waitFor({ timeout: 5000 });
    await expect.poll(() => printed(page)).toHaveLength(2);
    const labelled = (await sync(await site.connect('kiosk'))).groups.find((g) => g.label === label)!;
    expect(labelled.state).toBe('waiting');
    const tube = labelled.tubeCode!;
    expect(tube).toMatch(/^NQT-/);
    expect(await page.getByTestId(`desk-${label}`).getAttribute('data-state')).toBe('waiting');
    expect((await printed(page))[1]).toContain(tube);
    expect((await printed(page))[1]).not.toContain('排队进度');
    // A second ticket prints the ticket alone, not the label printed before it.
    await page.getByTestId('ticket-print').click();
    await expect.poll(() => printed(page)).toHaveLength(3);
    expect((await printed(page))[2]).not.toContain(tube);
    // Called, the group is sampled in the labelled tube without typing its code.
    const volunteer = await site.connect('volunteer');
    ok(await volunteer.socket.emitWithAck('group:action', { key: newKey(), groupId: labelled.id, action: 'call' }));
    await page.locator(`[data-testid=desk-${label}][data-state=called]`).waitFor({ timeout: 5000 });
    await page.getByTestId(`start-${label}`).click();
    await page.locator(`[data-testid=desk-${label}][data-state=sampling]`).waitFor({ timeout: 5000 });
    expect((await sync(volunteer)).groups.find((g) => g.label === label)!.tubeCode).toBe(tube);
  });

  it('lists offline scan conflicts for staff', async () => {
    const kiosk = await site.connect('kiosk', 'kiosk-9');
    const code = codes.get(PEOPLE[1].name)!;
    ok(await kiosk.socket.emitWithAck('scan', { key: newKey(), point: 'A', input: code }));
    ok(
      await kiosk.socket.emitWithAck('scan', {
        key: newKey(),
        point: 'A',
        input: code,
        offline: true,
        scannedAt: new Date(Date.now() - 600_000).toISOString(),
      }),
    );
    const staff = await signedIn('/staff', PINS.staff);
    const row = staff.getByTestId('scan-conflict');
    await row.waitFor({ timeout: 5000 });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(PEOPLE[1].name);
    expect(await row.textContent()).toContain('kiosk-9');
  });
});
