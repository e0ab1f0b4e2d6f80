import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSite, type TestSite } from './testServer';

// Debian's Chromium, headless, with the flags this machine's closed network needs.
// Playwright gives every launch a fresh, temporary user-data-dir of its own.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs,
    ],
  });
}

/** Opens a role's page and signs in with its PIN (the form every PIN-protected page shows first). */
export async function openSignedIn(page: Page, url: string, pin: string): Promise<Page> {
  await page.goto(url);
  await page.getByTestId('pin-input').fill(pin);
  await page.getByTestId('pin-submit').click();
  return page;
}

/** What a browser test file works against: a site serving the built pages, and a Chromium. */
export interface BrowserSite {
  site: TestSite;
  browser: Browser;
  close(): Promise<void>;
}

export async function openBrowserSite(): Promise<BrowserSite> {
  const site = await startSite('sqlite', { pages: true });
  const browser = await launchBrowser();
  return {
    site, browser,
    async close() {
      await browser.close();
      await site.close();
    },
  };
}
