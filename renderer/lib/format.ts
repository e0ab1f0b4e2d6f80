// Times as the people at the sampling point read them: in the site's time zone (the server's SITE_TZ),
// whatever zone the device itself is set to.
import { siteDate } from '../../shared/siteDate';
import { siteTimeZone } from './site';

/** "10:31" (or "10:31:05") from an ISO timestamp or Date, in the page's language, at the site. */
export function clockTime(at: string | Date, locale: string, seconds = false): string {
  return new Date(at).toLocaleTimeString(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    hour12: false,
    timeZone: siteTimeZone.value,
  });
}

/** "12-01 09:14" at the site, whatever the phone's zone: what a voucher showed. */
export function siteMonthDayTime(at: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: siteTimeZone.value,
  }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** "2026-12-01": today at the site (a round's date, a file name). */
export function siteToday(now = new Date()): string {
  return siteDate(now, siteTimeZone.value);
}
