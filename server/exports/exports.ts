// Staff exports: the specimen records of a round and the people not sampled yet, as XLSX and CSV.
// Only these files decrypt ID numbers and phones; nothing here is logged.
import ExcelJS from 'exceljs';
import { householdKey } from '../../shared/household';
import { rosterColumns } from '../../shared/roster';
import { HOME_POINT } from '../../shared/homeVisits';
import { ID_TYPE_NAMES } from '../../shared/idTypes';
import { siteDateTime } from '../../shared/siteDate';
import { safeCell } from '../../shared/spreadsheetCell';
import { csvText } from './csvFile';
import { currentRound } from '../rounds/currentRound';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { Store } from '../store/store';
import { naturalCompare as byAddress } from '../../shared/naturalOrder';

export interface Sheet {
  name: string;
  header: string[];
  rows: string[][];
}

/** Throat swabs are what community sampling takes unless told otherwise. */
export const DEFAULT_SAMPLE_TYPE = '口咽拭子';
/** The sampling unit (采样单位) printed on records; the community's name when set. */
export const SAMPLING_UNIT_SETTING = 'sampling-unit';

export const RECORD_HEADER = [
  '姓名',
  '证件类型',
  '证件号码',
  '国籍',
  '地址',
  '联系电话',
  '采样单位',
  '试管编码',
  '采样时间',
  '采样点',
  '样本类型',
  '管内人数',
  '采样方式',
];
export const NOT_SAMPLED_HEADER = ['楼栋', '单元', '房号', '姓名', '联系电话', '上门采样'];

function address(r: { building: string; unit: string; room: string }): string {
  return r.room ? householdKey(r) : '';
}

/** Sampling times are the site's wall clock (`tz`), as lab systems take them. */
export async function recordsSheet(store: Store, crypto: ResidentCrypto, tz: string): Promise<Sheet> {
  const { rows, unit } = await store.read(async (tx) => {
    const round = await currentRound(tx);
    return { rows: await tx.rounds().samplingRecords(round.id), unit: (await tx.setting(SAMPLING_UNIT_SETTING)) ?? '' };
  });
  return {
    name: '采样记录',
    header: RECORD_HEADER,
    rows: rows.map((r) => [
      r.name,
      ID_TYPE_NAMES[r.id_type],
      crypto.decrypt(r.id_enc),
      r.nationality,
      address(r),
      r.phone_enc ? crypto.decrypt(r.phone_enc) : '',
      unit,
      r.tube_code ?? '',
      r.sampled_at ? siteDateTime(r.sampled_at, tz) : '',
      r.point_code === HOME_POINT ? '上门采样' : `${r.point_code} ${r.point_name}`.trim(),
      DEFAULT_SAMPLE_TYPE,
      String(r.in_tube),
      r.point_code === HOME_POINT ? '上门' : r.kind === 'single' ? '单采' : '混采',
    ]),
  };
}

export async function notSampledSheet(store: Store, crypto: ResidentCrypto, building?: string): Promise<Sheet> {
  const rows = await store.read(async (tx) => {
    const round = await currentRound(tx);
    const residents = (await tx.rounds().residents(round.id, building)).filter((r) => r.status !== 'sampled');
    const visits = new Map(
      (
        await tx.homeVisits().ofResidents(
          round.id,
          residents.map((r) => r.id),
        )
      ).map((v) => [v.resident_id, v.status]),
    );
    return residents.map((r) => ({ ...r, visit: visits.get(r.id) ?? null }));
  });
  const visitWord = { pending: '待上门', 'not-home': '未在家', done: '已采' } as const;
  rows.sort((a, b) => byAddress(a.building, b.building) || byAddress(a.unit, b.unit) || byAddress(a.room, b.room));
  return {
    name: building ? `${building}号楼未采` : '未采名单',
    header: NOT_SAMPLED_HEADER,
    rows: rows.map((r) => [
      r.building,
      r.unit,
      r.room,
      r.name,
      r.phone_enc ? crypto.decrypt(r.phone_enc) : '',
      r.visit ? visitWord[r.visit] : '',
    ]),
  };
}

/** The roster template: a header row alone, so nothing made up is ever imported as a person. */
export function rosterTemplateSheet(): Sheet {
  return { name: '花名册模板', header: rosterColumns().map((c) => c.header), rows: [] };
}

export function toCsv(sheet: Sheet): Buffer {
  return Buffer.from(csvText(sheet.header, sheet.rows), 'utf8');
}

/** Every cell is written as text (ID numbers keep all 18 digits; nothing becomes a formula). */
export async function toXlsx(sheet: Sheet): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  // Excel refuses some sheet names (a building typed as "'3[A]" would fail the export): the file name keeps the full one.
  const ws = book.addWorksheet(
    sheet.name
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/^'+|'+$/g, '')
      .slice(0, 31) || 'Sheet1',
  );
  ws.addRow(sheet.header.map(safeCell)).font = { bold: true };
  for (const row of sheet.rows) ws.addRow(row.map(safeCell));
  ws.columns.forEach((c, i) => {
    c.numFmt = '@';
    c.width = Math.min(
      30,
      Math.max(8, ...[sheet.header[i], ...sheet.rows.slice(0, 200).map((r) => r[i])].map((v) => (v?.length ?? 0) * 1.6)),
    );
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
