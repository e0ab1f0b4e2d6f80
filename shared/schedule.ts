// Staggered sampling (错峰): buildings invited to a sampling point in time slots.
import { naturalCompare } from './naturalOrder';
import { DEFAULT_SITE_TZ } from './siteDate';

/** One building invited to one point between two instants (ISO timestamps). */
export interface ScheduleSlot {
  building: string;
  point: string;
  start: string;
  end: string;
}

/** Buildings invited at instant t (start inclusive, end exclusive), in address order, each once. */
export function invitedAt(slots: readonly ScheduleSlot[], t: Date): string[] {
  const now = t.getTime();
  const invited = slots.filter((s) => Date.parse(s.start) <= now && now < Date.parse(s.end)).map((s) => s.building);
  return [...new Set(invited)].sort(naturalCompare);
}

/** Slots that overlap another slot of the same building: a building is invited to one place at a time. */
export function overlappingSlots(slots: readonly ScheduleSlot[]): ScheduleSlot[] {
  return slots.filter((a, i) =>
    slots.some(
      (b, j) => i !== j && a.building === b.building && Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end),
    ),
  );
}

function hhmm(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(new Date(iso));
}

function monthDay(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { month: 'numeric', day: 'numeric', timeZone }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${Number(get('month'))}月${Number(get('day'))}日`;
}

/** The notice staff paste into a building's group chat (Chinese: residents read it), in the site's time zone. */
export function scheduleNotice(slot: ScheduleSlot, pointName: string, timeZone = DEFAULT_SITE_TZ): string {
  const place = pointName && pointName !== slot.point ? `${slot.point} 采样点（${pointName}）` : `${slot.point} 采样点`;
  return (
    `【核酸检测通知】请${slot.building}号楼居民于${monthDay(slot.start, timeZone)} ` +
    `${hhmm(slot.start, timeZone)}–${hhmm(slot.end, timeZone)} 到 ${place}进行核酸采样。` +
    '请携带居民码或身份证，全程佩戴口罩，保持一米间距，错峰前往，不要聚集。' +
    '行动不便、卧床的居民请联系楼长，安排上门采样。'
  );
}
