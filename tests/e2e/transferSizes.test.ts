// Light on the site's Wi-Fi: what each page costs a phone or a tablet on its first visit, in
// compressed JavaScript, as Chromium itself counts the bytes it received. The phone pages (a
// resident's turn page, /me and /points) must stay within the budget.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserSite, type BrowserSite } from '../support/browser';

/** Pages a resident opens on their own phone, often on a weak signal. */
export const PHONE_PAGES = ['/turn/1', '/me', '/points'];
/**
 * Compressed JavaScript a phone page may cost on its first load (issue #15). The app's first download
 * is Vue, vue-router, the vue-i18n runtime and the Chinese messages the phone pages use; the Socket.IO
 * client, the queue store, the staff pages' messages, zod and the QR library come only with the pages
 * that use them (the phone pages poll, shared/poll.ts).
 */
export const PHONE_BUDGET_BYTES = 60 * 1024;
/** The other pages, measured for the report only. */
const OTHER_PAGES = ['/kiosk?point=A', '/display', '/volunteer', '/home-visits', '/staff'];

let env: BrowserSite;

beforeAll(async () => {
  env = await openBrowserSite();
});
afterAll(() => env?.close());

/** Opens the page in a fresh browser (empty caches) and adds up the encoded bodies of the scripts it received. */
async function firstLoadScript(url: string): Promise<{ bytes: number; files: number }> {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page: Page = await context.newPage();
  const sizes: Promise<number>[] = [];
  page.on('requestfinished', (req) => {
    if (req.resourceType() === 'script') sizes.push(req.sizes().then((s) => s.responseBodySize));
  });
  await page.goto(env.site.url + url, { waitUntil: 'networkidle' });
  // The scripts came compressed (the build writes .br copies of all but the tiniest files).
  const scripts = await page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => new URL(e.name).pathname.endsWith('.js') && e.decodedBodySize > 1024)
      .map((e) => ({ url: e.name, compressed: e.encodedBodySize < e.decodedBodySize })),
  );
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((s) => !s.compressed)).toEqual([]);
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await context.close();
  return { bytes, files: sizes.length };
}

describe('compressed JavaScript on a first visit', () => {
  it.each(PHONE_PAGES)('%s stays within the phone budget', async (url) => {
    const { bytes, files } = await firstLoadScript(url);
    console.log(`first load ${url}: ${(bytes / 1024).toFixed(1)} kB of compressed JavaScript in ${files} files`);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(PHONE_BUDGET_BYTES);
  });

  it('measures the other pages (figures in the log)', async () => {
    for (const url of OTHER_PAGES) {
      const { bytes, files } = await firstLoadScript(url);
      console.log(`first load ${url}: ${(bytes / 1024).toFixed(1)} kB of compressed JavaScript in ${files} files`);
      expect(bytes).toBeGreaterThan(0);
    }
  });
});
