// What the server tells every page about the site: its time zone (SITE_TZ), so a device set to
// another zone still reads the site's clock and the site's day, and whether it is a demo, so a
// made-up community is never taken for a real sampling day.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API, type SiteInfo } from '../../shared/api';
import { ROUNDS_API } from '../../shared/roundsApi';
import type { ScheduleSlot } from '../../shared/schedule';
import { launchBrowser, openSignedIn } from '../support/browser';
import { PINS, startSite, type TestSite } from '../support/testServer';
import { residents } from '../server/helpers';

const SHOTS = process.env.NATQ_SHOTS;
const ROOT = path.resolve(import.meta.dirname, '../..');
// 23:40 UTC on 30 November: 08:40 on 1 December at a site in Tokyo, 18:40 on the 30th in New York.
const MOMENT = new Date('2026-11-30T23:40:00Z');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("the site's time zone on a device set to another", () => {
  let site: TestSite;

  beforeAll(async () => {
    site = await startSite('sqlite', { pages: true, env: { SITE_TZ: 'Asia/Tokyo' } });
    expect((await site.importRoster(rosterCsv(residents(0, 4)))).status).toBe(200);
  });

  afterAll(async () => {
    await site?.close();
  });

  /** A page on a device in New York whose clock stands at MOMENT. */
  async function inNewYork(pathname: string, pin?: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
    const context = await browser.newContext({ timezoneId: 'America/New_York', viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.clock.setFixedTime(MOMENT);
    if (pin) await openSignedIn(page, site.url + pathname, pin);
    else await page.goto(site.url + pathname);
    return page;
  }

  it('the server names its zone to the pages', async () => {
    const info = (await (await fetch(site.url + API.site)).json()) as SiteInfo;
    expect(info).toEqual({ timeZone: 'Asia/Tokyo', demo: false });
  });

  it("the hall display's clock shows the site's time", async () => {
    const page = await inNewYork('/display', undefined, { width: 1920, height: 1080 });
    await expect.poll(() => page.getByTestId('clock').innerText(), { timeout: 10_000 }).toBe('08:40:00');
    await page.context().close();
  });

  it("the coverage page opens a round dated the site's day and schedules in the site's hours, across UTC midnight", async () => {
    const page = await inNewYork('/coverage', PINS.staff);
    // Today at the site is 1 December, though UTC and the device still say 30 November.
    await page.getByTestId('open-round').click();
    expect(await page.getByTestId('round-date').inputValue()).toBe('2026-12-01');
    expect(await page.getByTestId('round-name').inputValue()).toBe('2026-12-01');

    // A new slot starts at the next half hour, 09:00 at the site (00:00 UTC), and its notice says so.
    await page.getByRole('button', { name: '添加时段' }).click();
    const slot = page.getByTestId('schedule-slot').first();
    await expect.poll(() => slot.getByLabel('开始').inputValue()).toBe('2026-12-01T09:00');
    expect(await slot.getByLabel('结束').inputValue()).toBe('2026-12-01T09:30');
    expect(await slot.getByRole('textbox', { name: '通知文本' }).inputValue()).toContain('12月1日 09:00–09:30');
    await page.getByTestId('schedule-save').click();
    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    const token = await site.token('staff');
    const saved = (await (
      await fetch(site.url + ROUNDS_API.schedule, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as ScheduleSlot[];
    expect(saved.map((s) => [s.start, s.end])).toEqual([['2026-12-01T00:00:00.000Z', '2026-12-01T00:30:00.000Z']]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/coverage-site-time-zh.png`, fullPage: true });
    await page.context().close();
  });

  it('a page shows no demo mark on a real site', async () => {
    const page = await inNewYork('/');
    await page.getByTestId('connection').or(page.locator('.brand')).first().waitFor();
    expect(await page.getByTestId('demo-mark').count()).toBe(0);
    await page.context().close();
  });
});

describe('a demo server (npm run demo)', () => {
  let child: ChildProcess;
  let url: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-demo-'));

  beforeAll(async () => {
    // `npm run demo` is start.ts --demo; its made-up community goes into a data folder of the test's own.
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/start.ts'), '--demo'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HTTPS_PORT: 'off', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${out}`)), 120_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/localhost:\d+)\/kiosk/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => reject(new Error(`the demo exited (${code}):\n${out}`)));
    });
  }, 150_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("tells the pages it is a demo, and every page says so in the page's language", async () => {
    expect(((await (await fetch(url + API.site)).json()) as SiteInfo).demo).toBe(true);
    for (const [locale, text] of [
      ['zh-CN', '演示数据'],
      ['en', 'Demo data'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      await context.addInitScript((l) => localStorage.setItem('nat-queue.locale', l), locale);
      const page = await context.newPage();
      for (const pathname of ['/', '/kiosk', '/display', '/volunteer', '/staff', '/coverage', '/lab', '/points', '/me', '/turn/1']) {
        await page.goto(url + pathname);
        const mark = page.getByTestId('demo-mark');
        await mark.waitFor({ timeout: 10_000 });
        expect(await mark.isVisible(), pathname).toBe(true);
        expect(await mark.innerText(), pathname).toContain(text);
        if (SHOTS && (pathname === '/display' || pathname === '/staff'))
          await page.screenshot({ path: `${SHOTS}/demo${pathname.replace('/', '-')}-${locale}.png` });
      }
      await context.close();
    }
  }, 90_000);
});
