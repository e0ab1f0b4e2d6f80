// A roster the way community staff keep it (幸福里社区全员核酸检测花名册): 填表说明 first, then one sheet per
// building (1号楼 2号楼 3号楼) with a title merged above the header, no building column, 序号/性别/年龄
// columns, header 身份证号码; 3号楼's last row repeats 1号楼's first person.
import ExcelJS from 'exceljs';
import { idNumberOf, nameOf, phoneOf } from '../server/helpers';

export const TITLE = '幸福里社区全员核酸检测花名册';
export const HEADER = ['序号', '姓名', '性别', '年龄', '身份证号码', '联系电话', '单元', '房号'];

/** Person i as a row of a building sheet; row numbers in the sheet start at 3 (title, header). */
export const personRow = (i: number, n: number) => [
  n,
  nameOf(i),
  i % 2 ? '男' : '女',
  30 + (i % 50),
  idNumberOf(i, '110108'),
  phoneOf(i),
  1 + (i % 2),
  101 + i,
];

/** The workbook: 填表说明 first, then 1号楼 2号楼 3号楼 of `perBuilding` people each; 3号楼's last row repeats 1号楼's first person. */
export async function communityWorkbook(perBuilding: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('填表说明').addRows([['请按楼栋分别填写，每栋一个工作表。'], ['身份证号码请设置为文本格式。']]);
  for (const b of [1, 2, 3]) {
    const ws = wb.addWorksheet(`${b}号楼`);
    ws.addRow([TITLE]);
    ws.mergeCells(1, 1, 1, HEADER.length);
    ws.addRow(HEADER);
    for (let k = 0; k < perBuilding; k++) ws.addRow(personRow(b * 1000 + k, k + 1));
    if (b === 3) ws.addRow(personRow(1000, perBuilding + 1));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
