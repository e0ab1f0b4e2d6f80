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
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
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

/**
 * A keyboard-wedge scanner: every key, then Enter, sent at machine speed to whatever has focus at
 * that moment (as a real scanner's keys go), in one task so no key is ever slow enough to look typed
 * (Playwright's typing pays a round trip a key, which a busy machine stretches to typing speed).
 */
export async function scannerBurst(page: Page, text: string): Promise<void> {
  await page.evaluate((chars) => {
    const codeOf = (c: string) =>
      /[A-Za-z]/.test(c) ? `Key${c.toUpperCase()}` : /\d/.test(c) ? `Digit${c}` : c === ':' ? 'Semicolon' : 'Minus';
    for (const c of [...chars, '\n']) {
      const init = c === '\n' ? { key: 'Enter', code: 'Enter' } : { key: c, code: codeOf(c), shiftKey: /[A-Z:]/.test(c) };
      (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true }));
    }
  }, text);
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
    site,
    browser,
    async close() {
      await browser.close();
      await site.close();
    },
  };
}

/**
 * A page opened online and controlled by the service worker, with what it loaded in the cache and
 * its copy of the data saved (`copySaved`, checked in the page: the queue's by default). In a context
 * of its own, which the caller closes.
 */
export async function openInstalled(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
  ready: (p: Page) => Promise<unknown>,
  copySaved = () => localStorage.getItem('nat-queue.queue-copy') !== null,
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(url);
  await ready(page);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null);
  await page.waitForFunction(
    async () => {
      const cache = await caches.open('natq-assets');
      const loaded = performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => p.startsWith('/assets/'));
      return (await Promise.all(loaded.map((p) => cache.match(p)))).every(Boolean);
    },
    undefined,
    { polling: 200 },
  );
  await page.waitForFunction(copySaved, undefined, { polling: 200 });
  return page;
}
