import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_SAMPLED_HEADER, RECORD_HEADER } from '../../server/exports/exports';
import { readRosterFile } from '../../server/roster/readRosterFile';
import { isValidIdNumber } from '../../shared/idNumber';
import { mapHeaders } from '../../shared/roster';
import { ROUNDS_API } from '../../shared/roundsApi';
import { BACKENDS } from '../support/backends';
import { newKey } from '../support/testServer';
import { groupAction, resident, scanAll, startSiteWithRoster, type RosterSite } from './helpers';
import { ok } from './roundsHttp';

// At the end of the round staff download the specimen records for the lab system and the list of
// people still missing. The files are read back as Excel/WPS would read them and compared with
// what was sampled; names that look like formulas stay text.

const formulaNames = ['=1+2', '+SUM(1;2)', '-3+4', '@cmd'];
const people = [
  ...formulaNames.map((name, i) => resident(i, [], { name })),
  ...[4, 5, 6, 7, 8].map((i) => resident(i)),
  resident(9, ['bedridden'], { building: '2', unit: '1', room: '101' }),
  resident(10, [], { building: '2', unit: '1', room: '102' }),
];

async function download(rs: RosterSite, path: string, role: 'staff' | 'volunteer' = 'staff') {
  const res = await fetch(rs.site.url + path, { headers: { authorization: `Bearer ${await rs.site.token(role)}` } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    disposition: res.headers.get('content-disposition'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

async function xlsxRows(body: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const rows: string[][] = [];
  book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

describe.each(BACKENDS)('exports (%s)', (backend) => {
  let rs: RosterSite;
  const sampledAt = new Map<string, string>();

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, people);
    await ok(rs.site, ROUNDS_API.rounds, {
      json: {
        key: newKey(),
        name: '第一轮',
        date: '2025-06-15',
        samplingUnit: '=幸福社区卫生服务中心',
        points: [{ code: 'A', name: '东门', poolSize: 10 }],
      },
    });
    const kiosk = await rs.site.connect('kiosk', 'kiosk-A');
    // The first eight people come to point A: one group of eight, sealed in tube T00000001.
    const [first] = await scanAll(
      kiosk,
      people.slice(0, 8).map((p) => rs.code(p)),
    );
    await groupAction(kiosk, { groupId: first.group.id, action: 'close' });
    await groupAction(kiosk, { groupId: first.group.id, action: 'start', tubeCode: 'T00000001' });
    await groupAction(kiosk, { groupId: first.group.id, action: 'seal' });
    // The bedridden resident of building 2 is sampled at home, alone.
    await ok(rs.site, ROUNDS_API.homeVisitsSample, {
      json: { key: newKey(), kind: 'single', tubeCode: 'HV0000001', inputs: [rs.code(people[9])] },
    });
    const records = await rs.site.server.store.read(async (tx) => tx.rounds().samplingRecords((await tx.rounds().current())!.id));
    for (const r of records) sampledAt.set(r.name, r.sampled_at!);
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  /** What every record row must say, in the export's column order. */
  function expectedRecords(): string[][] {
    return [...people.slice(0, 8), people[9]].map((p, i) => {
      const home = i === 8;
      return [
        p.name,
        '居民身份证',
        p.idNumber,
        '',
        `${p.building}-${p.unit}-${p.room}`,
        p.phone,
        '=幸福社区卫生服务中心',
        home ? 'HV0000001' : 'T00000001',
        new Date(Date.parse(sampledAt.get(p.name)!) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '),
        home ? '上门采样' : 'A 东门',
        '口咽拭子',
        home ? '1' : '8',
        home ? '上门' : '混采',
      ];
    });
  }
  const sortRows = (rows: string[][]) => [...rows].sort((a, b) => a[2].localeCompare(b[2]));
  const neutral = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);

  it('exports the specimen records as CSV: UTF-8 with BOM, formulas neutralised', async () => {
    const file = await download(rs, ROUNDS_API.exportRecordsCsv);
    expect(file.status).toBe(200);
    expect(file.type).toContain('text/csv');
    expect(file.disposition).toContain('attachment');
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(file.body.toString('utf8').slice(1)) as string[][];
    expect(header).toEqual(RECORD_HEADER);
    // ID numbers are written as text (a leading tab) so Excel keeps all 18 digits.
    const asCsv = (v: string) => (/^\d{12,}$/.test(v) ? `\t${v}` : neutral(v));
    expect(sortRows(rows)).toEqual(sortRows(expectedRecords().map((r) => r.map(asCsv))));
    for (const name of formulaNames) expect(rows.some((r) => r[0] === `'${name}`)).toBe(true);
  });

  it('writes ID numbers into the CSV as text that reads back as the same number', async () => {
    const file = await download(rs, ROUNDS_API.exportRecordsCsv);
    const [, ...rows] = parse(file.body.toString('utf8').slice(1)) as string[][];
    const ids = people
      .slice(0, 8)
      .map((p) => p.idNumber)
      .concat(people[9].idNumber);
    // (One ending in X is text to Excel already.)
    for (const id of ids) expect(rows.map((r) => r[2])).toContain(/X$/.test(id) ? id : `\t${id}`);
    // Read back by the roster reader (a file staff re-import): every ID number whole and valid.
    const table = await readRosterFile(file.body, 'records.csv');
    const column = mapHeaders(table.headers).columns.idNumber!;
    const read = table.rows.map((r) => r.cells[column]);
    expect(read.sort()).toEqual([...ids].sort());
    expect(read.every(isValidIdNumber)).toBe(true);
  });

  it('exports the same records as XLSX, every cell text (ID numbers keep 18 digits)', async () => {
    const file = await download(rs, ROUNDS_API.exportRecordsXlsx);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const [header, ...rows] = await xlsxRows(file.body);
    expect(header).toEqual(RECORD_HEADER);
    expect(sortRows(rows)).toEqual(sortRows(expectedRecords().map((r) => r.map(neutral))));
  });

  it('exports who is not sampled yet, per building or all', async () => {
    const all = parse((await download(rs, ROUNDS_API.exportNotSampledCsv)).body.toString('utf8').slice(1)) as string[][];
    expect(all[0]).toEqual(NOT_SAMPLED_HEADER);
    expect(all.slice(1)).toEqual([
      ['1', '1', people[8].room, people[8].name, people[8].phone, ''],
      ['2', '1', '102', people[10].name, people[10].phone, ''],
    ]);
    const [header, ...two] = await xlsxRows((await download(rs, `${ROUNDS_API.exportNotSampledXlsx}?building=2`)).body);
    expect(header).toEqual(NOT_SAMPLED_HEADER);
    expect(two).toEqual([['2', '1', '102', people[10].name, people[10].phone, '']]);
  });

  it('gives the files to staff only', async () => {
    expect((await download(rs, ROUNDS_API.exportRecordsCsv, 'volunteer')).status).toBe(403);
    expect((await fetch(rs.site.url + ROUNDS_API.exportRecordsXlsx)).status).toBe(401);
  });
});
