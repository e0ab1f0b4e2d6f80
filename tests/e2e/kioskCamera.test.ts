// A kiosk without a handheld scanner: the resident holds their code up to the camera. Chromium's
// fake camera plays a video of that code (see support/fakeCamera.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { qrVideo } from '../support/fakeCamera';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { launchBrowser, openSignedIn, scannerBurst } from '../support/browser';
import { PINS, startSite, type TestSite } from '../support/testServer';
import { residents } from '../server/helpers';

const PEOPLE = residents(0, 3);

let site: TestSite;
let browser: Browser;
let videoDir: string;
let code: string;

beforeAll(async () => {
  site = await startSite('sqlite', { pages: true });
  const { status } = await site.importRoster(rosterCsv(PEOPLE));
  expect(status).toBe(200);
  const member = (await site.codes('1')).flatMap((h) => h.members).find((m) => m.name === PEOPLE[1].name);
  if (!member) throw new Error('no code printed');
  code = member.code;
  videoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-camera-'));
  const video = path.join(videoDir, 'code.y4m');
  fs.writeFileSync(video, qrVideo(code));
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (videoDir) fs.rmSync(videoDir, { recursive: true, force: true });
});

describe('camera scanning at the kiosk', () => {
  it('adds the resident whose code is held up to the camera, once however long it stays in view', async () => {
    const page = await browser.newPage();
    await openSignedIn(page, `${site.url}/kiosk?point=A`, PINS.kiosk);
    const card = page.locator('[data-testid=scan-outcome][data-kind=added]', { hasText: PEOPLE[1].name });
    // On a starved machine html5-qrcode can come up without decoding (it sizes its scan region from the
    // video's on-screen size when playback starts); a sampler would switch the camera off and on again.
    for (let attempt = 1; ; attempt++) {
      await page.getByTestId('camera-toggle').click();
      await page
        .locator('[data-testid=camera-scan][data-state=on]')
        .waitFor({ timeout: 30_000 })
        .catch(async (err) => {
          const alert = await page
            .locator('[data-testid=camera-scan] [role=alert]')
            .textContent()
            .catch(() => null);
          throw alert ? new Error(`the camera did not start: ${alert}`) : err;
        });
      const read = await card.waitFor({ timeout: 20_000 }).then(
        () => true,
        () => false,
      );
      if (read) break;
      if (attempt === 3) throw new Error('the camera never read the code in 3 tries');
      await page.getByTestId('camera-toggle').click();
      await page.locator('[data-testid=camera-scan][data-state=off]').waitFor();
    }
    expect(await card.getAttribute('data-via')).toBe('camera');
    expect(await page.getByTestId('forming-group').getAttribute('data-size')).toBe('1');

    // The code stays in front of the camera and is read again and again: no second scan, no red "already registered".
    const readsAt = async () => Number(await page.getByTestId('camera-scan').getAttribute('data-reads'));
    const readsAtFirst = await readsAt();
    await expect.poll(readsAt, { timeout: 20_000 }).toBeGreaterThanOrEqual(readsAtFirst + 5);
    expect(await page.getByTestId('recent-scan').count()).toBe(1);

    await page.getByTestId('camera-toggle').click();
    await expect.poll(() => page.getByTestId('camera-scan').getAttribute('data-state')).toBe('off');
    // And the keyboard-wedge scanner still works beside it.
    await scannerBurst(page, code);
    await page.locator('[data-testid=scan-outcome][data-kind=duplicate]').waitFor({ timeout: 10_000 });
  }, 120_000);
});
