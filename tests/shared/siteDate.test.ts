import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_TZ, isTimeZone, siteDate, siteDateTime } from '../../shared/siteDate';

// 23:30 UTC on 30 November is 07:30 on 1 December in Beijing: the site's day has begun, UTC's has not.
const beforeUtcMidnight = new Date('2026-11-30T23:30:00Z');
const afterUtcMidnight = new Date('2026-12-01T00:30:00Z');

describe('dates in the site time zone', () => {
  it('names the site\'s day across UTC midnight', () => {
    expect(siteDate(beforeUtcMidnight, DEFAULT_SITE_TZ)).toBe('2026-12-01');
    expect(siteDate(afterUtcMidnight, DEFAULT_SITE_TZ)).toBe('2026-12-01');
    expect(siteDate(beforeUtcMidnight, 'UTC')).toBe('2026-11-30');
    // A site west of UTC: still the 30th there after UTC midnight.
    expect(siteDate(afterUtcMidnight, 'America/New_York')).toBe('2026-11-30');
  });

  it('gives the site\'s wall-clock time with seconds, midnight as 00', () => {
    expect(siteDateTime(beforeUtcMidnight, DEFAULT_SITE_TZ)).toBe('2026-12-01 07:30:00');
    expect(siteDateTime('2026-11-30T16:00:05Z', DEFAULT_SITE_TZ)).toBe('2026-12-01 00:00:05');
  });

  it('knows real zone names and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
