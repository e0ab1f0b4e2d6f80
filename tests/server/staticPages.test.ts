// The built pages on the site's Wi-Fi: compressed when the browser accepts it, hashed files kept a
// year, the page itself and the service worker asked for again every time.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE, REVALIDATE } from '../../server/http/staticPages';
import { BUILT_PAGES, startSite, type TestSite } from '../support/testServer';

const built = fs.existsSync(path.join(BUILT_PAGES, 'index.html'));
const entry = built ? fs.readFileSync(path.join(BUILT_PAGES, 'index.html'), 'utf8').match(/\/assets\/app-[\w-]+\.js/)?.[0] : undefined;

describe.skipIf(!built && process.env.CI !== 'true')('serving the built pages', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startSite('sqlite', { pages: true });
  });
  afterAll(() => site?.close());

  const get = (url: string, encoding?: string) => fetch(site.url + url, { headers: encoding ? { 'accept-encoding': encoding } : {} });

  it('serves a hashed script as brotli or gzip when accepted, and cached as immutable', async () => {
    expect(entry, 'npm run build first').toBeDefined();
    const plain = await get(entry!, 'identity');
    const br = await get(entry!, 'br, gzip');
    const gz = await get(entry!, 'gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const body = await plain.arrayBuffer();
    // fetch decodes: the same script whichever way it travelled, and the compressed file is the smaller.
    expect(Buffer.from(await br.arrayBuffer()).equals(Buffer.from(body))).toBe(true);
    expect(Number(br.headers.get('content-length'))).toBeLessThan(body.byteLength / 2);
    for (const res of [plain, br, gz]) {
      expect(res.headers.get('cache-control')).toBe(IMMUTABLE);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
    }
  });

  it('asks again for the page, the service worker and the manifest every time', async () => {
    for (const url of ['/', '/index.html', '/display', '/turn/12', '/sw.js', '/manifest.webmanifest']) {
      const res = await get(url, 'br');
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control'), url).toBe(REVALIDATE);
    }
    const page = await get('/display', 'br');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-encoding')).toBe('br');
    expect(await page.text()).toContain('<link rel="manifest" href="/manifest.webmanifest">');
  });
});
