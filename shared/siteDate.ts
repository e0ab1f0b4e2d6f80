// Dates as people at the site read them: in the site's time zone, not the server's or UTC.
// A round opened at 07:00 in Beijing is that day's round, though UTC still says yesterday.

export const DEFAULT_SITE_TZ = 'Asia/Shanghai';

/** Whether the runtime knows this IANA zone name ("Asia/Shanghai"). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

function parts(at: Date | string, tz: string): Record<string, string> {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(tz, f);
  }
  return Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
}

/** "2026-12-01": the calendar day at the site at that instant. */
export function siteDate(at: Date | string, tz: string): string {
  const p = parts(at, tz);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "2026-12-01 07:05:09": the site's wall-clock time at that instant, as lab systems and spreadsheets take it. */
export function siteDateTime(at: Date | string, tz: string): string {
  const p = parts(at, tz);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "2026-12-01T07:05": the site's wall clock at that instant, as a datetime-local field shows it. */
export function siteWallTime(at: Date | string, tz: string): string {
  const p = parts(at, tz);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The instant at which the site's wall clock reads `wall` ("2026-12-01T07:05"), whatever the device's zone. */
export function fromSiteWallTime(wall: string, tz: string): Date {
  const target = Date.parse(`${wall.length === 16 ? `${wall}:00` : wall}Z`);
  let at = target;
  // The zone's offset at the guess moves the guess; a second pass settles a guess on the far side of a DST change.
  for (let i = 0; i < 2; i++) {
    const p = parts(new Date(at), tz);
    at += target - Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  }
  return new Date(at);
}
