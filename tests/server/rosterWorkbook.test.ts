// A community office uploads its roster the way staff really keep it: a title row merged above the
// header, one sheet per building without a building column, 序号/性别/年龄 columns, an instructions
// sheet, a person entered twice; or a GB18030 CSV with a title row. Staff preview it, then import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { API, PREVIEW_ROWS, type BuildingSummary, type ImportReport, type RosterPreview } from '../../shared/api';
import { maskIdNumber } from '../../shared/idNumber';
import type { ApiError } from '../../shared/protocol';
import { BACKENDS } from '../support/backends';
import { startSite, type TestSite } from '../support/testServer';
import { communityWorkbook, HEADER, personRow, TITLE } from '../support/communityWorkbook';
import { idNumberOf, nameOf, phoneOf } from './helpers';

describe.each(BACKENDS)('importing a roster as staff keep it (%s)', (backend) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startSite(backend);
  });
  afterAll(() => site?.close());

  const residentsIn = async (...buildings: string[]) => {
    const res = await fetch(site.url + API.buildings, { headers: { authorization: `Bearer ${await site.token('staff')}` } });
    const list = (await res.json()) as BuildingSummary[];
    return buildings.map((b) => list.find((s) => s.building === b)?.residents ?? 0);
  };
  const preview = async (body: Buffer, filename: string, role: 'staff' | 'kiosk' = 'staff') => {
    const res = await fetch(`${site.url}${API.rosterPreview}?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${await site.token(role)}` },
      body: new Uint8Array(body),
    });
    return { status: res.status, body: (await res.json()) as RosterPreview };
  };

  it('reads every building sheet under its title row, names the instructions sheet, lists extra columns and the person entered twice', async () => {
    const bytes = await communityWorkbook(4);
    const { status, body } = await site.importRoster(bytes, '幸福里花名册.xlsx');
    expect(status).toBe(200);
    const report = body as ImportReport;
    expect(report).toMatchObject({ rows: 13, accepted: 12, added: 12, updated: 0, rejectedCount: 1, duplicateCount: 1 });
    expect(await residentsIn('1', '2', '3')).toEqual([4, 4, 4]);

    const [instructions, ...buildings] = report.sheets;
    expect(instructions).toMatchObject({
      name: '填表说明',
      headerRow: null,
      rows: 0,
      problem: { code: 'no-header', params: { sheet: '填表说明' } },
    });
    expect(buildings.map((s) => [s.name, s.building, s.headerRow, s.rows, s.accepted, s.rejected, s.problem])).toEqual([
      ['1号楼', '1', 2, 4, 4, 0, null],
      ['2号楼', '2', 2, 4, 4, 0, null],
      ['3号楼', '3', 2, 5, 4, 1, null],
    ]);
    expect(buildings[0].columns).toEqual({ name: '姓名', idNumber: '身份证号码', phone: '联系电话', unit: '单元', room: '房号' });
    expect(buildings[0].extraColumns).toEqual(['序号', '性别', '年龄']);

    // The first row is kept; the later one is rejected, and both are named.
    expect(report.duplicates).toEqual([
      {
        idType: 'resident-id',
        maskedIdNumber: maskIdNumber(idNumberOf(1000, '110108')),
        rows: [
          { sheet: '1号楼', row: 3, name: nameOf(1000) },
          { sheet: '3号楼', row: 7, name: nameOf(1000) },
        ],
      },
    ]);
    expect(report.rejected).toEqual([
      {
        sheet: '3号楼',
        row: 7,
        code: 'duplicate',
        params: { sheet: '3号楼', firstSheet: '1号楼', firstRow: 3, idType: 'resident-id' },
      },
    ]);
    expect((await site.codes('1')).map((h) => h.household)).toEqual(['1-1-1101', '1-1-1103', '1-2-1102', '1-2-1104']);
    expect(JSON.stringify(report)).not.toContain(idNumberOf(1000, '110108'));
  });

  it('imports a GB18030 CSV with a title row and a blank row above the header whole', async () => {
    const text = [
      `${TITLE},,,,,`,
      ',,,,,',
      '序号,姓名,身份证号码,手机号码,楼栋号,门牌号',
      ...Array.from(
        { length: 30 },
        (_, k) => `${k + 1},${nameOf(5000 + k)},${idNumberOf(5000 + k, '110108')},${phoneOf(k)},8号楼,${201 + k}室`,
      ),
    ].join('\r\n');
    const bytes = iconv.encode(text, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();

    const { status, body } = await site.importRoster(bytes, '花名册.csv');
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 30, accepted: 30, added: 30, rejectedCount: 0, rejected: [] });
    expect(body.sheets).toEqual([
      expect.objectContaining({
        name: '花名册',
        headerRow: 3,
        rows: 30,
        accepted: 30,
        building: null,
        extraColumns: ['序号'],
        columns: { name: '姓名', idNumber: '身份证号码', phone: '手机号码', building: '楼栋号', room: '门牌号' },
      }),
    ]);
    expect(await residentsIn('8')).toEqual([30]);
  });

  it("takes a CSV file's building from its name, like a sheet's; a sheet with no building anywhere is reported and left out", async () => {
    const csv = `姓名,身份证号,房号\r\n${nameOf(6000)},${idNumberOf(6000, '110108')},101\r\n`;
    expect((await site.importRoster(csv, '9号楼.csv')).body).toMatchObject({ added: 1, sheets: [{ building: '9' }] });
    expect(await residentsIn('9')).toEqual([1]);

    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('10栋').addRows([
      ['姓名', '身份证号', '房号'],
      [nameOf(6001), idNumberOf(6001, '110108'), 101],
    ]);
    wb.addWorksheet('Sheet2').addRows([
      ['姓名', '身份证号', '房号'],
      [nameOf(6002), idNumberOf(6002, '110108'), 102],
    ]);
    wb.addWorksheet('Sheet3');
    const { status, body } = await site.importRoster(Buffer.from(await wb.xlsx.writeBuffer()), 'roster.xlsx');
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 2, accepted: 1, added: 1, rejectedCount: 1 });
    expect(body.sheets.map((s) => [s.name, s.problem?.code ?? null, s.rejected])).toEqual([
      ['10栋', null, 0],
      ['Sheet2', 'no-building', 1],
      ['Sheet3', 'empty', 0],
    ]);
    expect(body.sheets[1].problem?.params).toEqual({ sheet: 'Sheet2' });

    // Without a building column and with no name that gives one, a one-sheet file is refused as before.
    const refused = await site.importRoster(csv, 'roster.csv');
    expect(refused.status).toBe(400);
    expect(refused.body.error?.reason).toBe('roster.no-building');
  });

  it('previews the whole file, writing nothing, and lists only the first rejected rows', async () => {
    const bytes = await communityWorkbook(3);
    const [before] = await residentsIn('1');
    // A fresh building for the preview, with more bad rows than the preview lists.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('12号楼');
    ws.addRow(HEADER);
    for (let k = 0; k < PREVIEW_ROWS + 5; k++) ws.addRow([k + 1, '', '', '', idNumberOf(7000 + k, '110108'), '', 1, 101]);
    ws.addRow(personRow(7100, 99));
    const bad = Buffer.from(await wb.xlsx.writeBuffer());

    const seen = await preview(bytes, '幸福里花名册.xlsx');
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ rows: 10, accepted: 9, rejectedCount: 1 });
    expect(seen.body).not.toHaveProperty('added');
    const many = await preview(bad, '12号楼.xlsx');
    expect(many.body).toMatchObject({ rows: PREVIEW_ROWS + 6, accepted: 1, rejectedCount: PREVIEW_ROWS + 5 });
    expect(many.body.rejected).toHaveLength(PREVIEW_ROWS);
    expect(many.body.rejected[0]).toMatchObject({ sheet: '12号楼', row: 2, code: 'name-empty' });
    expect(await residentsIn('1', '12')).toEqual([before, 0]);

    // The same file imported afterwards gives the numbers the preview showed.
    const imported = await site.importRoster(bad, '12号楼.xlsx');
    expect(imported.body).toMatchObject({ rows: PREVIEW_ROWS + 6, accepted: 1, added: 1, rejectedCount: PREVIEW_ROWS + 5 });
    expect(imported.body.rejected).toHaveLength(PREVIEW_ROWS + 5);
  });

  it('previews a file with no readable sheet as such (the import refuses it)', async () => {
    const csv = Buffer.from('\uFEFF姓名,手机号,楼栋\r\n张三,13800138000,1\r\n');
    const seen = await preview(csv, 'roster.csv');
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ rows: 0, accepted: 0 });
    expect(seen.body.sheets).toEqual([
      expect.objectContaining({ name: 'roster', headerRow: null, problem: expect.objectContaining({ code: 'no-header' }) }),
    ]);
    expect(seen.body.sheets[0].problem?.params.columns).toBe('身份证号 (ID number), 房号 (room)');
    expect((await site.importRoster(csv, 'roster.csv')).status).toBe(400);
  });

  it('lets only staff preview, and refuses a file that is not a roster with 400', async () => {
    const bytes = await communityWorkbook(1);
    expect((await preview(bytes, 'r.xlsx', 'kiosk')).status).toBe(403);
    const junk = await preview(Buffer.from('<html>登录超时</html>'), 'r.xls');
    expect(junk.status).toBe(400);
    expect((junk.body as unknown as { error: ApiError }).error.reason).toBe('file.web-page');
  });
});
