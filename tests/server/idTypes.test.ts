import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { ID_TYPE_NAMES, type NumberedIdType } from '../../shared/idTypes';
import { ME_API } from '../../shared/meApi';
import type { RosterEntry } from '../../shared/roster';
import { ROUNDS_API } from '../../shared/roundsApi';
import { BACKENDS } from '../support/backends';
import type { Listener } from '../support/testServer';
import { failure, groupAction, ok, resident, scan, startSiteWithRoster, walkIn, type RosterSite } from './helpers';

// A community holds foreigners, Hong Kong, Macau and Taiwan residents, a newborn and an old man who lost his
// card. The roster lists their ID types; at the kiosk the sampler chooses the type and types the number.

const person = (i: number, idType: RosterEntry['idType'], idNumber: string, extra: Partial<RosterEntry> = {}) =>
  resident(i, [], { idType, idNumber, ...extra });

const everyType = [
  person(0, 'resident-id', '11010519491231002X'),
  person(1, 'foreign-permanent', '911840198506150011'),
  person(2, 'foreign-permanent', 'USA110851200101'),
  person(3, 'hk-macau-permit', 'H12345678'),
  person(4, 'hk-macau-permit', 'M1234567801'),
  person(5, 'taiwan-permit', '12345678'),
  person(6, 'taiwan-permit', '1234567890B'),
  // The same characters as the Taiwan permit above, on a passport: another person.
  person(7, 'passport', '12345678', { nationality: 'SGP' }),
  person(8, 'passport', 'E98765432', { nationality: '美国' }),
  person(9, 'birth-certificate', 'O440012345'),
];
const noId = person(10, 'none', '', { idNote: '身份证遗失，居委会核实' });
const roster = [...everyType, noId];

describe.each(BACKENDS)('every ID type on the roster and at the kiosk (%s)', (backend) => {
  let rs: RosterSite;
  let kiosk: Listener;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, roster);
    kiosk = await rs.site.connect('kiosk', 'kiosk-A');
  });
  afterAll(() => rs?.site.close());

  it('imports a roster with every type, the 证件类型 column in Chinese names', async () => {
    const again = await rs.site.importRoster(rosterCsv(roster));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: roster.length, added: 0, rejectedCount: 0 });
    expect(again.body.sheets[0].columns).toMatchObject({ idType: '证件类型', nationality: '国籍', idNote: '证件说明' });
  });

  it('finds each person by the number typed with their type chosen (the same number under two types is two people), and exports their types', async () => {
    const names: string[] = [];
    for (const p of everyType) {
      const typed = p.idNumber.toLowerCase().replace(/^(.{4})/, '$1 ');
      const outcome = ok(await scan(kiosk, typed, { idType: p.idType as NumberedIdType }));
      expect(outcome.kind, `${p.idType} ${p.idNumber}`).toBe('added');
      if (outcome.kind === 'added') names.push(outcome.resident.name);
    }
    expect(names).toEqual(everyType.map((p) => p.name));
    // Someone without an ID comes with their printed code.
    const last = ok(await scan(kiosk, rs.code(noId)));
    expect(last).toMatchObject({ kind: 'added', resident: { name: noId.name } });

    // The groups sealed, the records carry each person's type, number and a passport's nationality.
    const snapshot = await kiosk.socket.emitWithAck('sync');
    const groups = (snapshot.ok ? snapshot.value.groups : []).filter((g) => g.state === 'forming' || g.state === 'waiting');
    for (const g of groups) {
      if (g.state === 'forming') ok(await groupAction(kiosk, { groupId: g.id, action: 'close' }));
      ok(await groupAction(kiosk, { groupId: g.id, action: 'start', tubeCode: `TUBE-${g.id}` }));
      ok(await groupAction(kiosk, { groupId: g.id, action: 'seal' }));
    }
    const res = await fetch(rs.site.url + ROUNDS_API.exportRecordsCsv, {
      headers: { authorization: `Bearer ${await rs.site.token('staff')}` },
    });
    const [header, ...rows] = parse((await res.text()).replace(/^\uFEFF/, '')) as string[][];
    expect(header.slice(0, 4)).toEqual(['姓名', '证件类型', '证件号码', '国籍']);
    const byName = new Map(rows.map((r) => [r[0], r.slice(1, 4).map((v) => v.trim())]));
    for (const p of roster) expect(byName.get(p.name), p.name).toEqual([ID_TYPE_NAMES[p.idType], p.idNumber, p.nationality]);
  });

  it('knows the number only under its own type', async () => {
    expect(ok(await scan(kiosk, 'H12345679', { idType: 'hk-macau-permit' }))).toEqual({
      kind: 'not-on-roster',
      idType: 'hk-macau-permit',
      maskedIdNumber: 'H*****679',
    });
    expect(ok(await scan(kiosk, 'E12345678', { idType: 'taiwan-permit' }))).toEqual({
      kind: 'rejected',
      reason: 'bad-id-number',
      idType: 'taiwan-permit',
      fault: 'taiwan-permit-shape',
    });
    // Typed without a type, a permit number is no resident ID.
    expect(ok(await scan(kiosk, 'H12345678')).kind).toBe('rejected');
  });

  it('registers walk-ins of other types: a passport needs its nationality, no ID needs a note and a room', async () => {
    expect(failure(await walkIn(kiosk, { name: 'John Smith', idType: 'passport', idNumber: 'K1234567' })).code).toBe('invalid');
    const john = ok(
      await walkIn(kiosk, { name: 'John Smith', idType: 'passport', idNumber: 'k1234567', nationality: 'gbr', building: '9', room: '101' }),
    );
    expect(john).toMatchObject({ kind: 'added', resident: { name: 'John Smith' } });
    expect(failure(await walkIn(kiosk, { name: '刘老汉', idType: 'none', idNumber: '', idNote: '证件遗失' })).code).toBe('invalid');
    const walker = { name: '刘老汉', idType: 'none' as const, idNumber: '', idNote: '证件遗失', building: '9', room: '102' };
    expect(ok(await walkIn(kiosk, walker))).toMatchObject({ kind: 'added' });
    // The same man registered again is found, not added twice.
    expect(ok(await walkIn(kiosk, walker))).toMatchObject({ kind: 'duplicate' });
  });

  it('gives a Hong Kong resident their own code at /me by permit number', async () => {
    const p = everyType[3];
    const post = (body: object) =>
      fetch(rs.site.url + ME_API.find, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const found = await post({ name: p.name, idType: 'hk-macau-permit', idNumber: p.idNumber, phoneLast4: p.phone.slice(-4) });
    expect(found.status).toBe(200);
    expect((await found.json()).code).toBe(rs.code(p));
    // The same number as a resident ID is no one's.
    expect((await post({ name: p.name, idNumber: p.idNumber, phoneLast4: p.phone.slice(-4) })).status).toBe(400);
  });
});
