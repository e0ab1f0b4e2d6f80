// The audit trail as staff download it: CSV (UTF-8 with BOM, so Excel opens it in Chinese) or XLSX.
import ExcelJS from 'exceljs';
import { csvText } from '../exports/csvFile';
import type { AuditRow } from '../store/labStore';

const HEADERS = ['序号 No.', '时间 Time', '角色 Role', '设备 Device', '操作 Action', '对象 Subject', '详情 Detail'];

const cells = (r: AuditRow) => [String(r.id), r.at, r.role, r.device, r.action, r.subject, r.detail];

/** Cells pass the same formula guard as every other export (server/exports/csvFile.ts). */
export function auditCsv(rows: readonly AuditRow[]): string {
  return csvText(HEADERS, rows.map(cells));
}

export async function auditXlsx(rows: readonly AuditRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('审计 Audit');
  sheet.addRow(HEADERS).font = { bold: true };
  // Strings only: nothing a row holds is ever taken as a formula.
  for (const r of rows) sheet.addRow(cells(r));
  sheet.columns.forEach((c, i) => {
    c.width = [8, 26, 10, 18, 18, 24, 48][i];
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
