import type { RosterEntry } from '../../shared/roster';

const HEADERS = ['姓名', '身份证号', '手机号', '楼栋', '单元', '房号', '标签'];

/** A roster as the CSV a community office would send (UTF-8 with BOM, Chinese headers). */
export function rosterCsv(entries: readonly RosterEntry[]): string {
  const rows = entries.map((e) => [e.name, e.idNumber, e.phone, e.building, e.unit, e.room, e.tags.join('、')].join(','));
  return `\uFEFF${[HEADERS.join(','), ...rows].join('\r\n')}\r\n`;
}
