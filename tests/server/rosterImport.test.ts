// The community office uploads its roster (花名册) as it has it: Excel's CSV, a GBK/GB18030 CSV
// from Chinese Windows, or an .xlsx; then prints each household's resident codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API, type BuildingSummary, type HouseholdCodes } from '../../shared/api';
import { maskIdNumber } from '../../shared/idNumber';
import { BACKENDS } from '../support/backends';
import { startSite, type TestSite } from '../support/testServer';
import { added, idNumberOf, nameOf, phoneOf, resident, scan } from './helpers';

/** Residents i..i+count-1, all in one building. */
const block = (from: number, count: number, building: string) =>
  Array.from({ length: count }, (_, k) => resident(from + k, [], { building }));

const members = (households: HouseholdCodes[]) => households.flatMap((h) => h.members.map((m) => ({ ...m, household: h.household })));

describe.each(BACKENDS)('importing the roster (%s)', (backend) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startSite(backend);
  });
  afterAll(() => site?.close());

  const buildings = async () => {
    const res = await fetch(site.url + API.buildings, { headers: { authorization: `Bearer ${await site.token('staff')}` } });
    return (await res.json()) as BuildingSummary[];
  };

  it('reads Excel’s “CSV UTF-8” (BOM, Chinese headers, tag words) and groups people into households', async () => {
    const people = block(0, 10, '1');
    people[0].tags = ['elderly', 'immobile'];
    const { status, body } = await site.importRoster(rosterCsv(people), '花名册.csv');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      rows: 10,
      accepted: 10,
      added: 10,
      updated: 0,
      unchanged: 0,
      rejected: [],
      rejectedCount: 0,
      warnings: [],
      duplicates: [],
    });

    const households = await site.codes('1');
    // Four flats a floor in the made-up building: 101..104, 201..204, 301, 302.
    expect(households.map((h) => [h.household, h.members.length])).toEqual([
      ['1-1-101', 1],
      ['1-1-102', 1],
      ['1-1-103', 1],
      ['1-1-104', 1],
      ['1-1-201', 1],
      ['1-1-202', 1],
      ['1-1-203', 1],
      ['1-1-204', 1],
      ['1-1-301', 1],
      ['1-1-302', 1],
    ]);
    expect((await buildings()).find((b) => b.building === '1')).toEqual({ building: '1', households: 10, residents: 10 });
    const kiosk = await site.connect('kiosk');
    expect(added(await scan(kiosk, households[0].members[0].code)).resident).toEqual({
      name: people[0].name,
      household: '1-1-101',
      tags: ['elderly', 'immobile'],
    });
  });

  it('reads a GB18030 CSV saved on Chinese Windows, with other header words and address suffixes', async () => {
    const text = [
      '姓名,身份证号码,联系电话,楼号,单元,房间号,备注',
      `刘䶮,${idNumberOf(100)},138-0013-8000,3号楼,2单元,501室,独居老人`,
      `${nameOf(101)},${idNumberOf(101)},,3号楼,2单元,501室,`,
      `${nameOf(102)},${idNumberOf(102)},${phoneOf(102)},3号楼,2单元,502室,孕妇`,
    ].join('\r\n');
    const bytes = iconv.encode(text, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();

    const { status, body } = await site.importRoster(bytes, 'roster.csv');
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 3, added: 3, rejected: [] });
    expect((await site.codes('3')).map((h) => [h.household, h.members.map((m) => m.name).sort()])).toEqual([
      ['3-2-501', ['刘䶮', nameOf(101)].sort()],
      ['3-2-502', [nameOf(102)]],
    ]);
    const kiosk = await site.connect('kiosk');
    const [first] = members(await site.codes('3')).filter((m) => m.name === '刘䶮');
    expect(added(await scan(kiosk, first.code)).resident).toEqual({ name: '刘䶮', household: '3-2-501', tags: ['elderly'] });
  });

  it('reads an .xlsx workbook, reporting an ID number Excel turned into a number', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('花名册');
    sheet.addRow(['姓名', '身份证号', '手机号', '楼栋', '单元', '房号', '标签']);
    sheet.addRow([nameOf(200), idNumberOf(200), Number(phoneOf(200)), 5, 1, 101, '老人']);
    sheet.addRow([nameOf(201), idNumberOf(201), '', '5栋', '1', 102, '']);
    // Typed into a number cell: Excel keeps 15 digits and shows 1.10105E+17.
    sheet.addRow([nameOf(202), Number(idNumberOf(202).slice(0, 17)) * 10, '', 5, 1, 103, '']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());

    const { status, body } = await site.importRoster(bytes, '花名册.xlsx');
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 3, added: 2, updated: 0 });
    expect(body.rejected).toEqual([{ sheet: '花名册', row: 4, code: 'id-scientific', params: {} }]);
    const codes = members(await site.codes('5'));
    expect(codes.map((m) => [m.name, m.household])).toEqual([
      [nameOf(200), '5-1-101'],
      [nameOf(201), '5-1-102'],
    ]);
  });

  it('reports each bad row with its row number and reason, and imports the rest', async () => {
    const good = block(300, 3, '6');
    const id = idNumberOf(303);
    const wrongCheck = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    const csv = rosterCsv([
      good[0], // row 2
      { ...resident(303, [], { building: '6' }), idNumber: wrongCheck }, // row 3
      { ...resident(304, [], { building: '6' }), name: '' }, // row 4
      { ...resident(305, [], { building: '6' }), idNumber: good[0].idNumber }, // row 5: same person again
      { ...resident(306, [], { building: '6' }), idNumber: '1.10105E+17' }, // row 6: mangled by Excel
      { ...resident(307, [], { building: '6' }), room: '' }, // row 7
      { ...good[1], phone: '12345' }, // row 8: imported, phone left out
      good[2], // row 9
    ]);
    const { status, body } = await site.importRoster(csv);
    expect(status).toBe(200);
    expect(body.rows).toBe(8);
    expect(body.added).toBe(3);
    const place = { sheet: 'roster', params: {} };
    expect(body.rejected).toEqual([
      { ...place, row: 3, code: 'id-check' },
      { ...place, row: 4, code: 'name-empty' },
      { ...place, row: 5, code: 'duplicate', params: { sheet: 'roster', firstSheet: 'roster', firstRow: 2, idType: 'resident-id' } },
      { ...place, row: 6, code: 'id-scientific' },
      { ...place, row: 7, code: 'room-empty' },
    ]);
    expect(body.warnings).toEqual([{ sheet: 'roster', row: 8, code: 'phone-invalid', params: { phone: '12345' } }]);
    expect(
      members(await site.codes('6'))
        .map((m) => m.name)
        .sort(),
    ).toEqual(good.map((g) => g.name).sort());
  });

  it('updates people on re-import of an edited file instead of duplicating them', async () => {
    const people = block(400, 5, '7');
    expect((await site.importRoster(rosterCsv(people))).body.added).toBe(5);
    const before = members(await site.codes('7'));
    const codeOf = (list: typeof before, name: string) => list.find((m) => m.name === name)?.code;

    const edited = [
      { ...people[0], name: '周改名' },
      { ...people[1], room: '901' },
      { ...people[2], phone: '13700000000' },
      people[3],
      people[4],
      resident(405, [], { building: '7' }),
    ];
    const { body } = await site.importRoster(rosterCsv(edited));
    expect(body).toMatchObject({ rows: 6, added: 1, updated: 3, unchanged: 2, rejected: [], warnings: [] });

    const after = members(await site.codes('7'));
    expect(after).toHaveLength(6);
    // Same person, same printed code: a re-import never invalidates the codes on people's doors.
    expect(codeOf(after, '周改名')).toBe(codeOf(before, people[0].name));
    expect(after.find((m) => m.name === people[1].name)?.household).toBe('7-1-901');
    const kiosk = await site.connect('kiosk');
    expect(added(await scan(kiosk, codeOf(after, '周改名')!)).resident.name).toBe('周改名');
    // Importing the same file again changes nothing.
    expect((await site.importRoster(rosterCsv(edited))).body).toMatchObject({ added: 0, updated: 0, unchanged: 6 });
  });

  it('imports a whole estate of thousands at once, and a re-import finds every person again', async () => {
    const estate = Array.from({ length: 4500 }, (_, i) => resident(i, [], { building: '20', idNumber: idNumberOf(i, '110106') }));
    expect((await site.importRoster(rosterCsv(estate))).body).toMatchObject({
      rows: 4500,
      added: 4500,
      updated: 0,
      unchanged: 0,
      rejected: [],
    });
    expect((await buildings()).find((b) => b.building === '20')?.residents).toBe(4500);

    // Changes and newcomers spread over the whole file, at its start, middle and end.
    const newcomer = (i: number) => resident(i, [], { building: '20', idNumber: idNumberOf(i, '110107') });
    const edited = [newcomer(0), ...estate, newcomer(1), newcomer(2)];
    for (const i of [1, 2200, 4500]) edited[i] = { ...edited[i], phone: '13700000000' };
    edited.splice(3000, 0, newcomer(3));
    const { body } = await site.importRoster(rosterCsv(edited));
    expect(body).toMatchObject({ rows: 4504, added: 4, updated: 3, unchanged: 4497, rejected: [], warnings: [] });
    expect(members(await site.codes('20'))).toHaveLength(4504);
  });

  it('prints household codes that scan successfully at the kiosk', async () => {
    const people = block(500, 8, '8');
    // Two people in the first flat.
    people.push(resident(508, [], { building: '8', room: people[0].room }));
    await site.importRoster(rosterCsv(people));
    const households = await site.codes('8');
    expect(members(households)).toHaveLength(9);
    expect(households.find((h) => h.household === `8-1-${people[0].room}`)?.members).toHaveLength(2);

    const kiosk = await site.connect('kiosk');
    for (const m of members(households)) {
      const outcome = added(await scan(kiosk, m.code));
      expect(outcome.resident).toMatchObject({ name: m.name, household: m.household });
    }
  });

  it('gives only masked ID numbers (and no phones) on the household codes page, to staff only', async () => {
    const people = block(600, 6, '9');
    await site.importRoster(rosterCsv(people));
    const res = await fetch(`${site.url}${API.householdCodes}?building=9`, {
      headers: { authorization: `Bearer ${await site.token('staff')}` },
    });
    const text = await res.text();
    for (const p of people) {
      expect(text).not.toContain(p.idNumber);
      expect(text).not.toContain(p.idNumber.slice(0, 17));
      expect(text).not.toContain(p.phone);
    }
    expect(text).not.toMatch(/\d{9,}/);
    const byName = new Map(members(JSON.parse(text) as HouseholdCodes[]).map((m) => [m.name, m.maskedIdNumber]));
    expect(people.map((p) => byName.get(p.name))).toEqual(people.map((p) => maskIdNumber(p.idNumber)));

    const asKiosk = await fetch(`${site.url}${API.householdCodes}?building=9`, {
      headers: { authorization: `Bearer ${await site.token('kiosk')}` },
    });
    expect(asKiosk.status).toBe(403);
    const anonymous = await fetch(`${site.url}${API.householdCodes}?building=9`);
    expect(anonymous.status).toBe(401);
  });
});
