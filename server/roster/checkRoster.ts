import type { DuplicatePerson, RosterCheck, SheetProblemCode, SheetReport } from '../../shared/api';
import { householdKey } from '../../shared/household';
import { personKey, maskId } from '../../shared/idTypes';
import {
  buildingFromSheetName, extraColumns, findHeaderRow, HEADER_SEARCH_ROWS, rowNote, validateRosterRow,
  type HeaderMap, type Params, type RosterEntry, type RosterField,
} from '../../shared/roster';
import { ActionError } from '../queue/actionError';
import { MAX_ROWS, tooManyRows, type Sheet } from './readRosterFile';

/** Rows checked between two turns of the event loop, so scans and displays keep moving during a big check. */
const SLICE = 4000;

export const FIELD_HEADERS: Record<RosterField, string> = {
  name: '姓名 (name)', idType: '证件类型 (ID type)', idNumber: '身份证号 (ID number)', nationality: '国籍 (nationality)',
  idNote: '证件说明 (ID note)', phone: '手机号 (phone)', building: '楼栋 (building)', unit: '单元 (unit)', room: '房号 (room)',
  tags: '标签 (tags)',
};

const SHEET_TEXT: Record<SheetProblemCode, (p: Params) => string> = {
  empty: (p) => `sheet ${p.sheet}: empty`,
  'no-header': (p) => `sheet ${p.sheet}: no header row found (a row with 姓名 and 身份证号 in its first ${HEADER_SEARCH_ROWS} rows)`,
  'missing-columns': (p) => `sheet ${p.sheet}: the header row lacks these columns: ${p.columns}`,
  'no-building': (p) => `sheet ${p.sheet}: no 楼栋 (building) column, and the sheet's name gives no building (name it like 3号楼)`,
};

/**
 * Checks every sheet of a roster file without writing anything: finds each sheet's header, reads the
 * building from the sheet's name where there is no building column, and checks every row.
 * A person (ID type and number; name and room without an ID) found again keeps their first row: the roster is what staff had first, and a
 * later copy rejected with both rows named is easier to fix than a person silently missing.
 * `listed` bounds the rejected rows, warnings and duplicates listed (the counts are whole).
 */
export async function checkRoster(sheets: Sheet[], listed = Infinity): Promise<{ report: RosterCheck; entries: RosterEntry[] }> {
  const report: RosterCheck = { rows: 0, accepted: 0, sheets: [], rejected: [], rejectedCount: 0, warnings: [], warningCount: 0, duplicates: [], duplicateCount: 0 };
  const byId = new Map<string, { sheet: string; row: number; name: string; entry: RosterEntry; duplicate?: DuplicatePerson }>();
  let checked = 0;
  for (const sheet of sheets) {
    const found = findHeaderRow(sheet.rows.slice(0, HEADER_SEARCH_ROWS).map((r) => r.cells));
    const header = found.index >= 0 ? sheet.rows[found.index] : null;
    const data = header ? sheet.rows.slice(found.index + 1) : [];
    const sheetReport: SheetReport = {
      name: sheet.name, headerRow: header?.row ?? null, rows: data.length, accepted: 0, rejected: 0,
      columns: header ? columnsRead(header.cells, found.map) : {}, building: null,
      extraColumns: header ? extraColumns(header.cells, found.map) : [], problem: null,
    };
    report.sheets.push(sheetReport);
    report.rows += data.length;
    if (report.rows > MAX_ROWS) throw tooManyRows();
    const problem = sheetProblem(sheet, header === null, found.map);
    if (problem) {
      sheetReport.problem = { ...problem, message: SHEET_TEXT[problem.code](problem.params) };
      sheetReport.rejected = data.length;
      report.rejectedCount += data.length;
      continue;
    }
    sheetReport.building = buildingFromSheetName(sheet.name);
    for (const { row, cells } of data) {
      if (++checked % SLICE === 0) await nextTurn();
      const result = validateRosterRow(cells, found.map, sheetReport.building);
      if (!result.ok) {
        reject(report, sheetReport, listed, { sheet: sheet.name, row, code: result.code, params: result.params, reason: result.reason });
        continue;
      }
      const key = personKey({ ...result.entry, household: householdKey(result.entry) });
      const first = byId.get(key);
      if (first) {
        const params = { sheet: sheet.name, firstSheet: first.sheet, firstRow: first.row, idType: result.entry.idType };
        reject(report, sheetReport, listed, { sheet: sheet.name, row, ...duplicateReason(params) });
        if (!first.duplicate) {
          const { idType, idNumber } = result.entry;
          first.duplicate = { idType, maskedIdNumber: maskId(idType, idNumber), rows: [{ sheet: first.sheet, row: first.row, name: first.name }] };
          if (report.duplicateCount++ < listed) report.duplicates.push(first.duplicate);
        }
        first.duplicate.rows.push({ sheet: sheet.name, row, name: result.entry.name });
        continue;
      }
      byId.set(key, { sheet: sheet.name, row, name: result.entry.name, entry: result.entry });
      sheetReport.accepted++;
      for (const note of result.warnings) {
        if (report.warningCount++ < listed) report.warnings.push({ sheet: sheet.name, row, ...note });
      }
    }
  }
  report.accepted = byId.size;
  return { report, entries: Array.from(byId.values(), ({ entry }) => entry) };
}

/** Lets the event loop run (scans, displays) between slices of a long step. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function reject(report: RosterCheck, sheet: SheetReport, listed: number, row: RosterCheck['rejected'][number]): void {
  sheet.rejected++;
  if (report.rejectedCount++ < listed) report.rejected.push(row);
}

function duplicateReason(params: Params) {
  return { code: 'duplicate' as const, params, reason: rowNote('duplicate', params).message };
}

function columnsRead(cells: string[], map: HeaderMap): Partial<Record<RosterField, string>> {
  return Object.fromEntries(Object.entries(map.columns).map(([field, i]) => [field, cells[i]]));
}

function sheetProblem(sheet: Sheet, noHeader: boolean, map: HeaderMap): { code: SheetProblemCode; params: Params } | null {
  const params = { sheet: sheet.name };
  if (sheet.rows.length === 0) return { code: 'empty', params };
  // The building may come from the sheet's name instead of a column.
  const missing = map.missing.filter((f) => f !== 'building' || !buildingFromSheetName(sheet.name));
  if (noHeader) return { code: 'no-header', params: { ...params, columns: missingText(missing) } };
  if (missing.length === 1 && missing[0] === 'building') return { code: 'no-building', params };
  if (missing.length) return { code: 'missing-columns', params: { ...params, columns: missingText(missing) } };
  return null;
}

const missingText = (fields: RosterField[]) => fields.map((f) => FIELD_HEADERS[f]).join(', ');

/** Refuses a file none of whose sheets can be read: there is nothing to import. */
export function refuseUnreadable(report: RosterCheck): void {
  if (!report.sheets.every((s) => s.problem)) return;
  const single = report.sheets.length === 1;
  throw new ActionError('invalid', report.sheets.map((s) => (single ? onlySheetText(s) : s.problem?.message)).join('; '));
}

/** A one-sheet file (a CSV) refused: what its header lacks, said as before sheets were read one by one. */
function onlySheetText(sheet: SheetReport): string {
  const p = sheet.problem;
  if (!p || p.code === 'empty') return 'The file has no header row: it holds no text.';
  if (p.code === 'no-building') return `the header row lacks these columns: ${FIELD_HEADERS.building} (or name the file after the building, like 3号楼.csv)`;
  return `the header row lacks these columns: ${p.params.columns}`;
}
