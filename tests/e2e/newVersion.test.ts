// A new version of the pages is deployed (rebuilt into the folder the server serves): an installed
// page that reloads runs it, and its service worker has replaced the old app shell in its cache, so
// even a reload with the server away shows the new version. Nobody clears a cache by hand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build, type Plugin } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openInstalled } from '../support/browser';
import { BUILT_PAGES, startSite, type TestSite } from '../support/testServer';

const served = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-pages-'));
let site: TestSite;
let browser: Browser;

beforeAll(async () => {
  // Version 1: the pages `npm test` built.
  fs.cpSync(BUILT_PAGES, served, { recursive: true });
  site = await startSite('sqlite', { staticDir: served });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  fs.rmSync(served, { recursive: true, force: true });
});

/** Version 2: the same sources built again into the served folder, its page marked with `mark`. */
async function deploy(mark: string): Promise<void> {
  const marked: Plugin = {
    name: 'test:version-mark',
    transformIndexHtml: (html) => html.replace('</head>', `<meta name="natq-version" content="${mark}"></head>`),
  };
  await build({
    configFile: path.resolve('vite.config.ts'),
    logLevel: 'warn',
    plugins: [marked],
    build: { outDir: served, emptyOutDir: true },
  });
}

const version = (page: Page) => page.evaluate(() => document.querySelector('meta[name=natq-version]')?.getAttribute('content') ?? 'first');
/** What the service worker would serve for a page while the server is away: its precached index.html (the key carries a revision). */
const shellVersion = (page: Page) =>
  page.evaluate(async () => {
    const versions: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const key of await cache.keys()) {
        if (new URL(key.url).pathname !== '/index.html') continue;
        versions.push(/natq-version" content="([^"]+)"/.exec(await (await cache.match(key))!.text())?.[1] ?? 'first');
      }
    }
    return versions.join(',');
  });

describe('a new version of the pages', () => {
  it(
    'is picked up by an installed page on its next load, offline copy included, without clearing a cache',
    { timeout: 300_000 },
    async () => {
      const page = await openInstalled(
        browser,
        site.url + '/turn/1',
        { width: 390, height: 844 },
        (p) => p.getByTestId('turn-connection').waitFor(),
        () => true,
      );
      expect([await version(page), await shellVersion(page)]).toEqual(['first', 'first']);

      await deploy('second');
      await page.reload();
      // The reload's check finds the new worker; it takes over at once and the page reloads itself into it (main.ts).
      await expect.poll(() => shellVersion(page), { timeout: 60_000 }).toBe('second');
      await expect.poll(() => version(page), { timeout: 30_000 }).toBe('second');

      // With the server away, the page the worker serves is the new one too.
      await site.stop();
      await page.reload();
      await expect.poll(() => version(page), { timeout: 15_000 }).toBe('second');
      await site.start();
      await page.context().close();
    },
  );
});
