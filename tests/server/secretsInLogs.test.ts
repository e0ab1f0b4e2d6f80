// Logs are copied to support staff, shipped to log services and kept for months: no PIN, token,
// ID number, phone or name may ever be written there, not even when a request fails.
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { rosterCsv } from '../../server/demo/rosterCsv';
import type { Connection } from '../../server/db/connect';
import { createLogger } from '../../server/log';
import { API } from '../../shared/api';
import { BACKENDS } from '../support/backends';
import { newKey, PINS, startSite, type TestSite } from '../support/testServer';
import { emitRaw, idNumberOf, phoneOf, resident, residents, scan, walkIn } from './helpers';

describe.each(BACKENDS.filter((b) => b !== 'postgres+redis'))('secrets never logged (%s)', (backend) => {
  const lines: string[] = [];
  let site: TestSite | undefined;
  afterAll(() => site?.close().catch(() => {}));

  it('logs no PIN, token, ID number, phone or name through logins, scans, imports and failures', async () => {
    site = await startSite(backend, { logger: createLogger('trace', { write: (line: string) => void lines.push(line) }) });
    const s = site;
    const people = residents(0, 6);
    const walker = resident(900);
    const tokens: string[] = [];
    const login = async (role: string, pin: string) => {
      const res = await fetch(s.url + API.login, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, pin }),
      });
      const body = (await res.json()) as { token?: string };
      if (body.token) tokens.push(body.token);
    };
    for (const [role, pin] of Object.entries(PINS)) await login(role, pin);
    await login('staff', '9876');
    // A PIN change and a logout (their audit lines and any failure must not carry the PIN or token).
    const asStaff = { authorization: `Bearer ${tokens[2]}`, 'content-type': 'application/json' };
    await fetch(s.url + API.pinChange, { method: 'POST', headers: asStaff, body: JSON.stringify({ role: 'volunteer', pin: '6543' }) });
    await fetch(s.url + API.pinChange, {
      method: 'POST',
      headers: asStaff,
      body: JSON.stringify({ role: 'staff', pin: '5432', currentPin: '9876' }),
    });
    await fetch(s.url + API.logout, { method: 'POST', headers: { authorization: asStaff.authorization } });

    expect((await s.importRoster(rosterCsv(people))).status).toBe(200);
    // A roster with broken rows, and a file that is no roster at all.
    await s.importRoster(
      rosterCsv([
        { ...resident(50), idNumber: '110105198001010010' },
        { ...resident(51), phone: '12' },
      ]),
    );
    await s.importRoster('not,a,roster\n1,2,3', 'bad.csv');
    await s.importRoster(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe]), 'broken.xlsx');

    const kiosk = await s.connect('kiosk', 'kiosk-log');
    const codes = (await s.codes('1')).flatMap((h) => h.members.map((m) => m.code));
    for (const code of codes.slice(0, 3)) await scan(kiosk, code);
    await scan(kiosk, idNumberOf(3)); // typed at the kiosk: the ID number is the input
    await scan(kiosk, idNumberOf(777)); // not on the roster
    await walkIn(kiosk, { name: walker.name, idNumber: walker.idNumber, phone: walker.phone, building: '9', room: '101' });
    await emitRaw(kiosk, 'scan', { key: newKey(), point: 'A', input: idNumberOf(4), extra: walker.phone });
    await emitRaw(kiosk, 'walk-in', { key: 'bad', point: 'A', name: walker.name, idNumber: walker.idNumber, phone: walker.phone });
    // A forged token at the socket and at HTTP.
    await s.connect('kiosk').catch(() => {});
    await fetch(s.url + API.buildings, { headers: { authorization: `Bearer ${tokens[0]}x` } });

    // A failure deep in the database, logged with its error: the payload must not ride along.
    const { db } = (s.server.store as unknown as { conn: Connection }).conn;
    await sql`alter table members rename to members_gone`.execute(db);
    const broken = await scan(kiosk, codes[4]);
    expect(broken).toMatchObject({ ok: false, error: { code: 'internal' } });
    await walkIn(kiosk, { name: people[5].name, idNumber: people[5].idNumber, phone: people[5].phone });
    // Walk-ins of other ID types fail the same way: their nationality and note stay out of the logs too.
    await walkIn(kiosk, { name: '刘无证', idType: 'none', idNumber: '', idNote: '证件遗失由王主任核实', building: '9', room: '102' });
    await walkIn(kiosk, {
      name: 'John Smith',
      idType: 'passport',
      idNumber: 'K7654321',
      nationality: 'Ruritania',
      building: '9',
      room: '103',
    });

    const log = lines.join('');
    expect(log).toMatch(/socket request failed|request failed/); // the failures were logged at all
    const secrets = [
      ...Object.values(PINS),
      '9876',
      '6543',
      '5432',
      ...tokens,
      ...tokens.flatMap((t) => t.split('.').slice(4)),
      ...[...people, walker].flatMap((p) => [p.idNumber, p.phone, p.name]),
      idNumberOf(777),
      phoneOf(51),
      '刘无证',
      '证件遗失由王主任核实',
      'John Smith',
      'K7654321',
      'Ruritania',
    ];
    for (const secret of secrets)
      expect(log, `"${secret}" was logged`).not.toMatch(
        new RegExp(`(?<![\\d\\w])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d\\w])`),
      );
  });
});
