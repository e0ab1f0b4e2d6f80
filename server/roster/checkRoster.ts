import type { DuplicatePerson, RosterCheck, SheetProblemCode, SheetReport } from '../../shared/api';
import { householdKey } from '../../shared/household';
import { personKey, maskId } from '../../shared/idTypes';
import {
  buildingFromSheetName,
  extraColumns,
  findHeaderRow,
  HEADER_SEARCH_ROWS,
  rowNote,
  validateRosterRow,
  type HeaderMap,
  type Params,
  type RosterEntry,
  type RosterField,
} from '../../shared/roster';
import { ActionError } from '../queue/actionError';
import { tooManyRows, type RosterSource } from './readRosterFile';
import { NameList, PersonIndex } from './personIndex';
import type { TableRow } from './rosterFileError';

export const FIELD_HEADERS: Record<RosterField, string> = {
  name: '姓名 (name)',
  idType: '证件类型 (ID type)',
  idNumber: '身份证号 (ID number)',
  nationality: '国籍 (nationality)',
  idNote: '证件说明 (ID note)',
  phone: '手机号 (phone)',
  building: '楼栋 (building)',
  unit: '单元 (unit)',
  room: '房号 (room)',
  tags: '标签 (tags)',
};

/** How a sheet's rows are read: its header's columns, and the building its name gives. */
interface SheetPlan {
  map: HeaderMap;
  building: string | null;
}

/** A row's place in the file, as one number: the sheet's index and the row. */
const placeOf = (sheet: number, row: number) => sheet * 2 ** 32 + row;

/**
 * Checks every sheet of a roster file, batch by batch, without writing anything: finds each sheet's
 * header, reads the building from the sheet's name where there is no building column, and checks
 * every row. A person (ID type and number; name and room without an ID) found again keeps their
 * first row: the roster is what staff had first, and a later copy rejected with both rows named is
 * easier to fix than a person silently missing. `listed` bounds the rejected rows, warnings and
 * duplicates listed (the counts are whole).
 *
 * The accepted entries are handed to `onAccepted` batch by batch as they are found (an import
 * spills them to disk): what a whole file holds never sits in memory, only a key and a name a person.
 */
export class RosterChecker {
  readonly report: RosterCheck = {
    rows: 0,
    accepted: 0,
    sheets: [],
    rejected: [],
    rejectedCount: 0,
    warnings: [],
    warningCount: 0,
    duplicates: [],
    duplicateCount: 0,
  };
  /** Each person's index among the accepted, by person key. */
  private readonly byKey = new PersonIndex();
  /** By accepted index: where the person's (first) row is, and their name, for a later copy's report. */
  private readonly firstPlace: number[] = [];
  private readonly firstName = new NameList();
  private readonly duplicateOf = new Map<number, DuplicatePerson>();

  constructor(
    private readonly source: RosterSource,
    private readonly listed = Infinity,
  ) {}

  async check(onAccepted: (entries: RosterEntry[]) => Promise<void> = async () => {}): Promise<RosterCheck> {
    let index = 0;
    for await (const sheet of this.source.sheets()) await this.checkSheet(index++, sheet.name, sheet.batches, onAccepted);
    this.report.accepted = this.byKey.size;
    return this.report;
  }

  private async checkSheet(
    index: number,
    name: string,
    batches: AsyncIterable<TableRow[]>,
    onAccepted: (entries: RosterEntry[]) => Promise<void>,
  ): Promise<void> {
    // The header is among the first few rows: those are read before any row is checked.
    const rows = batches[Symbol.asyncIterator]();
    const head: TableRow[] = [];
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      head.push(...next.value);
      if (head.length >= HEADER_SEARCH_ROWS) break;
    }
    const rest = head.splice(HEADER_SEARCH_ROWS);
    const found = findHeaderRow(head.map((r) => r.cells));
    const header = found.index >= 0 ? head[found.index] : null;
    const sheetReport: SheetReport = {
      name,
      headerRow: header?.row ?? null,
      rows: 0,
      accepted: 0,
      rejected: 0,
      columns: header ? columnsRead(header.cells, found.map) : {},
      building: null,
      extraColumns: header ? extraColumns(header.cells, found.map) : [],
      problem: null,
    };
    this.report.sheets.push(sheetReport);
    const problem = sheetProblem(name, head.length === 0, header === null, found.map);
    const plan: SheetPlan = { map: found.map, building: problem ? null : buildingFromSheetName(name) };
    sheetReport.problem = problem;
    sheetReport.building = plan.building;
    // Without a header no row is read as a person (nor counted).
    if (!header) return;
    const data = async function* () {
      yield head.slice(found.index + 1);
      if (rest.length) yield rest;
      for (let next = await rows.next(); !next.done; next = await rows.next()) yield next.value;
    };
    for await (const batch of data()) {
      sheetReport.rows += batch.length;
      this.report.rows += batch.length;
      if (this.report.rows > this.source.maxRows) throw tooManyRows(this.source.maxRows);
      if (problem) {
        sheetReport.rejected += batch.length;
        this.report.rejectedCount += batch.length;
        continue;
      }
      const accepted: RosterEntry[] = [];
      for (const row of batch) {
        const entry = this.checkRow(index, sheetReport, plan, row);
        if (entry) accepted.push(entry);
      }
      await onAccepted(accepted);
      await nextTurn();
    }
  }

  /** The row's entry when it is accepted (the person's first row). */
  private checkRow(sheet: number, sheetReport: SheetReport, plan: SheetPlan, { row, cells }: TableRow): RosterEntry | null {
    const { report, listed } = this;
    const result = validateRosterRow(cells, plan.map, plan.building);
    if (!result.ok) {
      this.reject(sheetReport, { sheet: sheetReport.name, row, code: result.code, params: result.params });
      return null;
    }
    const { entry } = result;
    const key = personKey({ idType: entry.idType, idNumber: entry.idNumber, name: entry.name, household: householdKey(entry) });
    const first = this.byKey.getOrAdd(key, this.firstPlace.length);
    if (first !== undefined) {
      const firstSheet = this.report.sheets[Math.floor(this.firstPlace[first] / 2 ** 32)].name;
      const firstRow = this.firstPlace[first] % 2 ** 32;
      const params = { sheet: sheetReport.name, firstSheet, firstRow, idType: entry.idType };
      this.reject(sheetReport, { sheet: sheetReport.name, row, ...duplicateReason(params) });
      let duplicate = this.duplicateOf.get(first);
      if (!duplicate) {
        const { idType, idNumber } = entry;
        duplicate = {
          idType,
          maskedIdNumber: maskId(idType, idNumber),
          rows: [{ sheet: firstSheet, row: firstRow, name: this.firstName.get(first) }],
        };
        this.duplicateOf.set(first, duplicate);
        if (report.duplicateCount++ < listed) report.duplicates.push(duplicate);
      }
      duplicate.rows.push({ sheet: sheetReport.name, row, name: entry.name });
      return null;
    }
    this.firstPlace.push(placeOf(sheet, row));
    this.firstName.push(entry.name);
    sheetReport.accepted++;
    for (const note of result.warnings) {
      if (report.warningCount++ < listed) report.warnings.push({ sheet: sheetReport.name, row, ...note });
    }
    return entry;
  }

  private reject(sheet: SheetReport, row: RosterCheck['rejected'][number]): void {
    sheet.rejected++;
    if (this.report.rejectedCount++ < this.listed) this.report.rejected.push(row);
  }
}

/** Lets the event loop run (scans, displays) between slices of a long step. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function duplicateReason(params: Params) {
  return rowNote('duplicate', params);
}

function columnsRead(cells: string[], map: HeaderMap): Partial<Record<RosterField, string>> {
  return Object.fromEntries(Object.entries(map.columns).map(([field, i]) => [field, cells[i]]));
}

function sheetProblem(name: string, empty: boolean, noHeader: boolean, map: HeaderMap): { code: SheetProblemCode; params: Params } | null {
  const params = { sheet: name };
  if (empty) return { code: 'empty', params };
  // The building may come from the sheet's name instead of a column.
  const missing = map.missing.filter((f) => f !== 'building' || !buildingFromSheetName(name));
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
