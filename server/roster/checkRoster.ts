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
      sheetReport.problem = problem;
      sheetReport.rejected = data.length;
      report.rejectedCount += data.length;
      continue;
    }
    sheetReport.building = buildingFromSheetName(sheet.name);
    for (const { row, cells } of data) {
      if (++checked % SLICE === 0) await nextTurn();
      const result = validateRosterRow(cells, found.map, sheetReport.building);
      if (!result.ok) {
        reject(report, sheetReport, listed, { sheet: sheet.name, row, code: result.code, params: result.params });
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
  return rowNote('duplicate', params);
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
  if (report.sheets.length > 1) throw new ActionError('roster.no-readable-sheet', { sheets: report.sheets.map((s) => s.name).join('、') });
  // A one-sheet file (a CSV): what its header lacks, said as before sheets were read one by one.
  const p = report.sheets[0].problem;
  if (!p || p.code === 'empty') throw new ActionError('file.no-text');
  if (p.code === 'no-building') throw new ActionError('roster.no-building');
  throw new ActionError('roster.missing-columns', { columns: String(p.params.columns) });
}
