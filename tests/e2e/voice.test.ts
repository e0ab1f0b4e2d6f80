// Calls that speak on a screen with no system voice at all (headless Chromium has none): the hall
// display plays the shipped clips in order, chime first, one call after the other, and with two points
// says whose desk; the kiosk says the masked name (synthesized in the page) and the place in the tube
// after each scan and "换管" at the tenth, and F9 mutes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { ROUNDS_API } from '../../shared/roundsApi';
import { launchBrowser, openSignedIn, scannerBurst } from '../support/browser';
import { newKey, PINS, startSite, type Listener, type TestSite } from '../support/testServer';
import type { GroupView } from '../../shared/protocol';
import { call as http } from '../server/roundsHttp';
import { added, emitRaw, groupAction, groupByLabel, ok, residents, scan, scanAll, sync } from '../server/helpers';

const PEOPLE = residents(0, 51);
let site: TestSite;
let browser: Browser;
let codes: string[];
let kioskLine: Listener;
let volunteer: Listener;

/** A device with no system voices, whose every chime and clip is written down as it is started. */
async function device(locale: 'zh-CN' | 'en', width = 1920, height = 1080): Promise<Page> {
  // No service worker: its fetches would pass by the routes a test sets up to make the clips unreachable.
  const context = await browser.newContext({ viewport: { width, height }, serviceWorkers: 'block' });
  await context.addInitScript((loc) => {
    localStorage.setItem('nat-queue.locale', loc);
    SpeechSynthesis.prototype.getVoices = () => [];
    const w = window as unknown as { heard: string[] };
    w.heard = [];
    // Follow each clip from its fetch to the buffer a source plays.
    const urls = new WeakMap<object, string>();
    const arrayBuffer = Response.prototype.arrayBuffer;
    Response.prototype.arrayBuffer = async function (this: Response) {
      const data = await arrayBuffer.call(this);
      urls.set(data, this.url);
      return data;
    };
    const decode = BaseAudioContext.prototype.decodeAudioData;
    BaseAudioContext.prototype.decodeAudioData = async function (this: BaseAudioContext, data: ArrayBuffer) {
      const url = urls.get(data);
      const buffer = await decode.call(this, data);
      if (url) urls.set(buffer, url);
      return buffer;
    } as typeof decode;
    const start = AudioBufferSourceNode.prototype.start;
    AudioBufferSourceNode.prototype.start = function (this: AudioBufferSourceNode, ...args: Parameters<typeof start>) {
      const url = this.buffer && urls.get(this.buffer);
      if (url) w.heard.push(url.replace(/^.*\/voice\/(.*)\.ogg$/, '$1'));
      else if (this.buffer) {
        // Audio made in the page (a name): heard as speech when it is a short, loud sound, not silence.
        const samples = this.buffer.getChannelData(0);
        const peak = samples.reduce((p, v) => Math.max(p, Math.abs(v)), 0);
        const speech = peak > 0.1 && this.buffer.duration > 0.15 && this.buffer.duration < 1;
        w.heard.push(speech ? 'synthesized speech' : `other sound ${this.buffer.duration.toFixed(2)} s, peak ${peak.toFixed(2)}`);
      } else w.heard.push('no buffer');
      return start.apply(this, args);
    };
    const tone = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<typeof tone>) {
      // The call chime's first note; any other oscillator is a kiosk tone.
      const hz = this.frequency.value;
      if (hz !== 660) w.heard.push(hz === 880 ? 'chime' : `tone ${hz}`);
      return tone.apply(this, args);
    };
  }, locale);
  return context.newPage();
}

const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: string[] }).heard);

let next = 0;
/** The next ten residents, scanned into a full group of their own. */
async function fullGroup(): Promise<GroupView> {
  const [first] = await scanAll(kioskLine, codes.slice(next, (next += 10)));
  return groupByLabel((await sync(volunteer)).groups, first.group.label);
}

/** Calls that group from a tablet; the reply says which desk it goes to. */
async function call(group: GroupView): Promise<{ label: string; desk: number }> {
  const called = ok(await groupAction(volunteer, { groupId: group.id, action: 'call' }));
  return { label: called.label, desk: called.desk! };
}

/** "A-003" as the clips that say it: A 0 0 3. */
const spell = (label: string) => label.replace('-', '').split('');

beforeAll(async () => {
  site = await startSite('sqlite', { pages: true });
  browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
  expect((await site.importRoster(rosterCsv(PEOPLE))).status).toBe(200);
  const byName = await site.codesByName('1');
  codes = PEOPLE.map((p) => byName.get(p.name)!);
  kioskLine = await site.connect('kiosk', 'kiosk-line');
  volunteer = await site.connect('volunteer', 'tablet');
  ok(await emitRaw(volunteer, 'hall:settings', { key: 'voice-desks-2', point: 'A', capacity: null, desks: 2 }));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('voice on a screen without system voices', () => {
  it('the hall display speaks each call from the shipped clips, chime first, never cutting one off', async () => {
    const [g1, g2] = [await fullGroup(), await fullGroup()];
    const display = await device('zh-CN');
    await display.goto(`${site.url}/display`);
    await display.locator(`[data-testid="group-${g2.label}"][data-state="waiting"]`).waitFor({ timeout: 10_000 });
    expect(await display.getByTestId('enable-sound').count()).toBe(0);

    // Two calls in quick succession: the second waits for the first to be said in full.
    const calls = [await call(g1), await call(g2)];
    const said = ({ label, desk }: { label: string; desk: number }) => [
      'chime',
      ...['please', ...spell(label), 'group', 'to', String(desk), 'desk', 'sampling'].map((c) => `zh/${c}`),
    ];
    await expect.poll(() => heard(display), { timeout: 20_000 }).toEqual([...said(calls[0]), ...said(calls[1])]);
    // Spoken, so nothing flashes instead.
    expect(await display.getByTestId('call-flash').count()).toBe(0);
  });

  it('in English, as often as the operator set (?repeat=2)', async () => {
    const group = await fullGroup();
    const display = await device('en');
    await display.goto(`${site.url}/display?repeat=2`);
    await display.locator(`[data-testid="group-${group.label}"][data-state="waiting"]`).waitFor({ timeout: 10_000 });
    const { label, desk } = await call(group);
    const words = ['group', ...spell(label), 'please', 'go', 'to', 'desk', String(desk)].map((c) => `en/${c}`);
    await expect.poll(() => heard(display), { timeout: 20_000 }).toEqual(['chime', ...words, ...words]);
  });

  it('with the clips unreachable and no system voice, chimes twice and flashes the call', async () => {
    const group = await fullGroup();
    const display = await device('zh-CN');
    await display.route('**/voice/**', (route) => route.abort());
    await display.goto(`${site.url}/display`);
    await display.locator(`[data-testid="group-${group.label}"][data-state="waiting"]`).waitFor({ timeout: 10_000 });
    const { label } = await call(group);
    await display.getByTestId('call-flash').filter({ hasText: label }).waitFor({ timeout: 10_000 });
    expect(await heard(display)).toEqual(['chime', 'chime']);
  });

  it('the kiosk says the masked name and the place in the tube after each scan, 换管 at the tenth, and F9 mutes it', async () => {
    const kiosk = await device('zh-CN', 1366, 768);
    await openSignedIn(kiosk, `${site.url}/kiosk?point=A`, PINS.kiosk);
    await kiosk.getByTestId('scan-input').waitFor();
    // Off in an ordinary browser (on by default in the Electron kiosk); F9 turns it on.
    await kiosk.locator('[data-testid=desk-voice][data-on=false]').waitFor();
    await kiosk.keyboard.press('F9');
    await kiosk.locator('[data-testid=desk-voice][data-on=true]').waitFor();

    const mine = codes.slice(next, (next += 11));
    const places = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'ten'];
    // The name, which no clip can say, is synthesized in the page (no system voice here), then the place.
    for (let i = 0; i < 10; i++) {
      await scannerBurst(kiosk, mine[i]);
      await kiosk.locator('[data-testid=scan-outcome][data-kind=added]', { hasText: `${i + 1}/10` }).waitFor({ timeout: 5000 });
      const said = places.slice(0, i + 1).flatMap((p) => ['synthesized speech', `zh/${p}`]);
      // The first name waits for the synthesizer to load; later ones come at once.
      await expect.poll(() => heard(kiosk), { timeout: i === 0 ? 20_000 : 5000 }).toEqual(i === 9 ? [...said, 'zh/change-tube'] : said);
    }

    // The same person again: a refusal word of its own.
    await scannerBurst(kiosk, mine[0]);
    await kiosk.locator('[data-testid=scan-outcome][data-kind=duplicate]').waitFor({ timeout: 5000 });
    await expect.poll(async () => (await heard(kiosk)).at(-1), { timeout: 5000 }).toBe('zh/already-sampled');

    // Muted: the tone of old, no words.
    await kiosk.keyboard.press('F9');
    await kiosk.locator('[data-testid=desk-voice][data-on=false]').waitFor();
    const before = (await heard(kiosk)).length;
    await scannerBurst(kiosk, mine[10]);
    await kiosk.locator('[data-testid=scan-outcome][data-kind=added]', { hasText: '1/10' }).waitFor({ timeout: 5000 });
    await expect.poll(async () => (await heard(kiosk)).slice(before), { timeout: 5000 }).toEqual(['tone 1320']);
  });
});

describe('with two points on one screen', () => {
  let two: TestSite;
  let tablet: Listener;
  let kioskB: Listener;
  const people = residents(100, 5);

  beforeAll(async () => {
    two = await startSite('sqlite', { pages: true });
    expect((await two.importRoster(rosterCsv(people))).status).toBe(200);
    const points = [
      { code: 'A', name: '东门', poolSize: 5 },
      { code: 'B', name: '西门', poolSize: 5 },
    ];
    expect(
      (await http(two, ROUNDS_API.rounds, { json: { key: newKey(), name: '第二轮', date: '2026-12-01', points } })).status,
    ).toBeLessThan(300);
    kioskB = await two.connect('kiosk', 'kiosk-b');
    tablet = await two.connect('volunteer', 'tablet-b');
    ok(await emitRaw(tablet, 'hall:settings', { key: newKey(), point: 'B', capacity: null, desks: 2 }));
  });

  afterAll(() => two?.close());

  it('the hall call says whose desk, as the screen shows it, in both languages', async () => {
    const byName = await two.codesByName('1');
    const outcomes = [];
    for (const p of people) outcomes.push(added(await scan(kioskB, byName.get(p.name)!, { point: 'B' })));
    const group = groupByLabel((await sync(tablet)).groups, outcomes[0].group.label);
    const [zh, en] = [await device('zh-CN'), await device('en')];
    for (const display of [zh, en]) {
      await display.goto(`${two.url}/display`);
      await display.locator(`[data-testid="group-${group.label}"][data-state="waiting"]`).waitFor({ timeout: 10_000 });
    }
    const called = ok(await groupAction(tablet, { groupId: group.id, action: 'call' }));
    const desk = String(called.desk);
    const g = spell(called.label);
    // The screen says "B 点 1 号台"; so does the call.
    await zh.getByText(`B 点 ${desk} 号台`).first().waitFor({ timeout: 10_000 });
    await expect
      .poll(() => heard(zh), { timeout: 20_000 })
      .toEqual(['chime', ...['please', ...g, 'group', 'to', 'B', 'point', desk, 'desk', 'sampling'].map((c) => `zh/${c}`)]);
    await expect
      .poll(() => heard(en), { timeout: 20_000 })
      .toEqual(['chime', ...['group', ...g, 'please', 'go', 'to', 'desk', desk, 'at', 'point', 'B'].map((c) => `en/${c}`)]);
  });
});
