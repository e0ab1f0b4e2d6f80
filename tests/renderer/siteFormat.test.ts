import { afterEach, describe, expect, it } from 'vitest';
import { clockTime, siteMonthDayTime, siteToday } from '../../renderer/lib/format';
import { siteTimeZone } from '../../renderer/lib/site';
import { DEFAULT_SITE_TZ } from '../../shared/siteDate';

// 23:30 UTC on 30 November: 07:30 on 1 December in Beijing, 18:30 on the 30th in New York.
const AT = '2026-11-30T23:30:00Z';

describe("times on the pages are the site's, whatever the device's zone", () => {
  afterEach(() => {
    siteTimeZone.value = DEFAULT_SITE_TZ;
  });

  it('reads the clock and the day in the zone the server named, across UTC midnight', () => {
    expect(siteTimeZone.value).toBe('Asia/Shanghai');
    expect(clockTime(AT, 'zh-CN')).toBe('07:30');
    expect(clockTime(AT, 'en', true)).toBe('07:30:00');
    expect(siteMonthDayTime(AT)).toBe('12-01 07:30');
    expect(siteToday(new Date(AT))).toBe('2026-12-01');

    siteTimeZone.value = 'America/New_York';
    expect(clockTime(AT, 'zh-CN')).toBe('18:30');
    expect(siteToday(new Date(AT))).toBe('2026-11-30');
  });
});
