import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_TZ, fromSiteWallTime, isTimeZone, siteDate, siteDateTime, siteWallTime } from '../../shared/siteDate';

// 23:30 UTC on 30 November is 07:30 on 1 December in Beijing: the site's day has begun, UTC's has not.
const beforeUtcMidnight = new Date('2026-11-30T23:30:00Z');
const afterUtcMidnight = new Date('2026-12-01T00:30:00Z');

describe('dates in the site time zone', () => {
  it("names the site's day across UTC midnight", () => {
    expect(siteDate(beforeUtcMidnight, DEFAULT_SITE_TZ)).toBe('2026-12-01');
    expect(siteDate(afterUtcMidnight, DEFAULT_SITE_TZ)).toBe('2026-12-01');
    expect(siteDate(beforeUtcMidnight, 'UTC')).toBe('2026-11-30');
    // A site west of UTC: still the 30th there after UTC midnight.
    expect(siteDate(afterUtcMidnight, 'America/New_York')).toBe('2026-11-30');
  });

  it("gives the site's wall-clock time with seconds, midnight as 00", () => {
    expect(siteDateTime(beforeUtcMidnight, DEFAULT_SITE_TZ)).toBe('2026-12-01 07:30:00');
    expect(siteDateTime('2026-11-30T16:00:05Z', DEFAULT_SITE_TZ)).toBe('2026-12-01 00:00:05');
  });

  it("turns the site's wall clock (a datetime-local field) into the instant and back, across UTC midnight and DST", () => {
    expect(siteWallTime(beforeUtcMidnight, DEFAULT_SITE_TZ)).toBe('2026-12-01T07:30');
    expect(fromSiteWallTime('2026-12-01T07:30', DEFAULT_SITE_TZ).toISOString()).toBe('2026-11-30T23:30:00.000Z');
    expect(fromSiteWallTime('2026-12-01T00:15', DEFAULT_SITE_TZ).toISOString()).toBe('2026-11-30T16:15:00.000Z');
    // New York: EDT (UTC-4) until 1 November 2026, EST (UTC-5) after.
    expect(fromSiteWallTime('2026-10-31T20:00', 'America/New_York').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(fromSiteWallTime('2026-11-30T20:00', 'America/New_York').toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(siteWallTime('2026-12-01T01:00:00Z', 'America/New_York')).toBe('2026-11-30T20:00');
  });

  it('knows real zone names and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
