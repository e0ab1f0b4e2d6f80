// A server started at 07:30 in Beijing (23:30 UTC the day before) opens that day's round and
// stamps that day on the audit export's file name: every date a person reads is the site's.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config';
import { LAB_API } from '../../shared/labApi';
import { startSite, type TestSite } from '../support/testServer';

let site: TestSite;

beforeAll(async () => {
  // Only the clock is fixed; timers run as usual.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T23:30:00Z'), shouldAdvanceTime: true });
  site = await startSite('sqlite');
});

afterAll(async () => {
  await site?.close();
  vi.useRealTimers();
});

describe('dates in the site time zone (Asia/Shanghai unless told)', () => {
  it("names and dates the first round for the site's day, not UTC's", async () => {
    const display = await site.connect('display');
    expect(display.snapshots[0].round).toMatchObject({ name: '2026-12-01', date: '2026-12-01' });
  });

  it("stamps the site's day on the audit export's file name", async () => {
    const res = await fetch(`${site.url}${LAB_API.auditExport}`, { headers: { authorization: `Bearer ${await site.token('staff')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('audit-2026-12-01.csv');
  });

  it('takes SITE_TZ from the environment and refuses a zone that does not exist', () => {
    expect(loadConfig({}).siteTz).toBe('Asia/Shanghai');
    expect(loadConfig({ SITE_TZ: 'Europe/Berlin' }).siteTz).toBe('Europe/Berlin');
    expect(() => loadConfig({ SITE_TZ: 'Beijing' })).toThrow(/SITE_TZ/);
  });
});
