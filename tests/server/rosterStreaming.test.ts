// A district's roster is read as it arrives and written a batch at a time: rows rejected far down a
// file are still reported by their Excel row; a file over the limits writes nothing at all; an
// upload sent again under its key gets the first report, and another file under that key is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API, MAX_CSV_ROWS, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_ROWS, type BuildingSummary } from '../../shared/api';
import { BACKENDS } from '../support/backends';
import { startSite, newKey, type TestSite } from '../support/testServer';
import { districtPerson } from './helpers';

/** More people than one write batch (16,000) and several read batches (4,000 rows). */
const PEOPLE = 17_000;

const person = districtPerson;

describe.each(BACKENDS)('a district’s roster, streamed (%s)', (backend) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startSite(backend);
  });
  afterAll(() => site?.close());

  const residentsIn = async (building: string) => {
    const res = await fetch(site.url + API.buildings, { headers: { authorization: `Bearer ${await site.token('staff')}` } });
    return ((await res.json()) as BuildingSummary[]).find((b) => b.building === building)?.residents ?? 0;
  };

  it.each([
    ['unquoted', false],
    ['quoted (read by csv-parse)', true],
  ] as const)(
    'imports a file of several batches and reports the rows rejected in its last batches by Excel row (%s)',
    async (_label, quoted) => {
      const building = quoted ? '82' : '81';
      const people = Array.from({ length: PEOPLE }, (_, i) => person(i, building));
      // Data row i is Excel row i + 2 (the header is row 1).
      people[16_500] = { ...people[16_500], idNumber: '110105198001019999' };
      people[16_900] = { ...people[16_900], idNumber: people[7].idNumber, name: '重复人' };
      // A quoted cell (a comma inside) far down the file: the whole file goes through the CSV parser.
      if (quoted) people[16_950] = { ...people[16_950], name: '欧阳,娜' };
      const csv = rosterCsv(people);
      expect(csv.includes('"')).toBe(quoted);

      const { status, body } = await site.importRoster(csv, `${building}.csv`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ rows: PEOPLE, accepted: PEOPLE - 2, added: PEOPLE - 2, rejectedCount: 2 });
      expect(body.rejected).toEqual([
        { sheet: building, row: 16_502, code: 'id-check', params: expect.any(Object) as object },
        expect.objectContaining({
          sheet: building,
          row: 16_902,
          code: 'duplicate',
          params: expect.objectContaining({ firstRow: 9 }) as object,
        }),
      ]);
      expect(body.duplicates).toEqual([
        expect.objectContaining({
          rows: [
            { sheet: building, row: 9, name: people[7].name },
            { sheet: building, row: 16_902, name: '重复人' },
          ],
        }),
      ]);
      expect(await residentsIn(building)).toBe(PEOPLE - 2);
      // The last rows are in, with their households.
      const last = people[PEOPLE - 1];
      const households = await site.codes(building);
      expect(households.find((h) => h.household === `${building}-${last.unit}-${last.room}`)?.members.map((m) => m.name)).toContain(
        last.name,
      );
      if (quoted) expect(households.flatMap((h) => h.members).some((m) => m.name === '欧阳,娜')).toBe(true);
    },
  );

  it('refuses a CSV file of more than 1,200,000 rows, writing none of its people', async () => {
    const valid = Array.from({ length: 50 }, (_, i) => person(i, '83'));
    // 50 people, then rows of a name alone: 1,200,001 data rows in all.
    const csv = rosterCsv(valid) + '张三\r\n'.repeat(MAX_CSV_ROWS - 49);
    const { status, body } = await site.importRoster(csv, 'district.csv');
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: 'invalid', reason: 'file.too-many-rows', params: { max: MAX_CSV_ROWS } });
    expect(await residentsIn('83')).toBe(0);
  });

  it('refuses a workbook over 20 MB as it arrives, telling staff to save it as CSV, writing nothing', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(MAX_WORKBOOK_BYTES)]);
    const { status, body } = await site.importRoster(zip, 'district.xlsx');
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: 'invalid',
      reason: 'file.workbook-too-large',
      params: { mb: 20, rows: MAX_WORKBOOK_ROWS, csvRows: MAX_CSV_ROWS },
    });
  });

  it('answers an import sent again under its key with the first report, and refuses another file under that key', async () => {
    const key = newKey();
    const first = Array.from({ length: 30 }, (_, i) => person(i, '84'));
    const imported = await site.importRoster(rosterCsv(first), '84.csv', 'staff', key);
    expect(imported.body).toMatchObject({ added: 30, updated: 0, unchanged: 0 });
    // A lost answer, the page sends the file again: the same report (not "30 unchanged"), nothing written twice.
    const replayed = await site.importRoster(rosterCsv(first), '84.csv', 'staff', key);
    expect(replayed).toEqual(imported);
    expect(await residentsIn('84')).toBe(30);

    const other = Array.from({ length: 5 }, (_, i) => person(100 + i, '85'));
    const reused = await site.importRoster(rosterCsv(other), '85.csv', 'staff', key);
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({ code: 'conflict', reason: 'request.key-reused' });
    expect(await residentsIn('85')).toBe(0);
    // The same file under another name is another request too.
    expect((await site.importRoster(rosterCsv(first), 'renamed.csv', 'staff', key)).status).toBe(409);
  });

  it('sends a replay arriving while the first import runs the first import’s report', async () => {
    const key = newKey();
    const csv = rosterCsv(Array.from({ length: 3000 }, (_, i) => person(i, '86')));
    const [a, b] = await Promise.all([site.importRoster(csv, '86.csv', 'staff', key), site.importRoster(csv, '86.csv', 'staff', key)]);
    expect(a).toEqual(b);
    expect(a.body).toMatchObject({ added: 3000 });
    expect(await residentsIn('86')).toBe(3000);
  });
});
