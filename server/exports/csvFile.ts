// Every CSV file the server writes for staff (exports, the roster template, the audit trail), through
// csv-stringify with the spreadsheet formula guard as its cast.
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../../shared/spreadsheetCell';

/** A CSV file as Excel opens it correctly: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting. */
export function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // csv-stringify quotes a field holding the whole record delimiter; a lone CR or LF (a cell with
  // a line break typed in Excel) must be quoted too, or it would end the row.
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { string: csvCell } });
}
