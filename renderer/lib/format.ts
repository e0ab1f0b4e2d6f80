// Times as the people at the sampling point read them.
import { SITE_TIME_ZONE } from '../../shared/schedule';

/** "10:31" (or "10:31:05") from an ISO timestamp or Date, in the page's language. */
export function clockTime(at: string | Date, locale: string, seconds = false): string {
  return new Date(at).toLocaleTimeString(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    hour12: false,
  });
}

/** "12-01 09:14" in the site's time zone (Beijing), whatever the phone's zone: what a voucher showed. */
export function siteMonthDayTime(at: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: SITE_TIME_ZONE,
  }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
