import { stringify } from 'csv-stringify/sync';
import { ID_TYPE_NAMES } from '../../shared/idTypes';
import type { RosterEntry } from '../../shared/roster';

const HEADERS = ['姓名', '身份证号', '手机号', '楼栋', '单元', '房号', '标签'];
/** Written only when someone holds another ID than a resident ID, as community rosters do. */
const ID_TYPE_HEADERS = ['证件类型', '国籍', '证件说明'];

/**
 * A roster as the CSV a community office's Excel would send (UTF-8 with BOM, Chinese headers): cells as
 * typed, without the exports' formula guard, since this is a file to import, not one staff open.
 */
export function rosterCsv(entries: readonly RosterEntry[]): string {
  const typed = entries.some((e) => e.idType !== 'resident-id');
  const rows = entries.map((e) => [
    e.name,
    e.idNumber,
    e.phone,
    e.building,
    e.unit,
    e.room,
    e.tags.join('、'),
    ...(typed ? [ID_TYPE_NAMES[e.idType], e.nationality, e.idNote] : []),
  ]);
  return stringify([[...HEADERS, ...(typed ? ID_TYPE_HEADERS : [])], ...rows], {
    bom: true,
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
}
