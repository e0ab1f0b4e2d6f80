import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { createLogger } from '../../server/log';
import { ME_TRIES } from '../../server/me/meRoutes';
import { boxPath, LAB_API } from '../../shared/labApi';
import { ME_API, type FoundCode, type PersonStatus, type Preregistration } from '../../shared/meApi';
import { BACKENDS } from '../support/backends';
import { newKey, startSite, type TestSite } from '../support/testServer';
import { added, groupAction, idNumberOf, ok as okReply, phoneOf, resident, residents, scan } from './helpers';
import { ok } from './roundsHttp';

// A resident with no printed sheet finds their own code on their phone with the details the
// community holds; someone not on the roster pre-registers and is checked at the kiosk; the phone
// then shows when each of its people was sampled. Nothing tells a stranger who is on the roster.

/** A POST from a chosen loopback address: limits count per address, so each story has its own. */
function post(site: TestSite, path: string, body: unknown, from = '127.0.0.1'): Promise<{ status: number; body: string }> {
  const url = new URL(site.url + path);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe.each(BACKENDS)("a resident's own code on /me (%s)", (backend) => {
  const lines: string[] = [];
  let site: TestSite;
  const people = [...residents(0, 4), resident(4, [], { phone: '' })];
  const printed = new Map<string, string>();

  beforeAll(async () => {
    site = await startSite(backend, { logger: createLogger('trace', { write: (line: string) => void lines.push(line) }) });
    expect((await site.importRoster(rosterCsv(people))).status).toBe(200);
    for (const h of await site.codes('1')) for (const m of h.members) printed.set(m.name, m.code);
  });
  afterAll(async () => {
    await site?.close();
  });

  it("gives a resident on the roster the code printed on their sheet, with their phone's last 4 digits", async () => {
    const p = people[0];
    const found = await post(
      site,
      ME_API.find,
      { name: ` ${p.name} `, idNumber: p.idNumber.toLowerCase(), phoneLast4: p.phone.slice(-4) },
      '127.0.0.2',
    );
    expect(found.status).toBe(200);
    expect(JSON.parse(found.body)).toEqual({
      code: printed.get(p.name) as string,
      maskedName: `${p.name[0]}*${p.name[2]}`,
      unverified: false,
    } satisfies FoundCode);
    // The roster holds a phone for them: without its digits, no code.
    expect((await post(site, ME_API.find, { name: p.name, idNumber: p.idNumber }, '127.0.0.2')).status).toBe(404);
    // Someone the roster holds no phone for finds their code with name and ID number alone.
    const noPhone = people[4];
    const second = await post(site, ME_API.find, { name: noPhone.name, idNumber: noPhone.idNumber }, '127.0.0.2');
    expect(JSON.parse(second.body).code).toBe(printed.get(noPhone.name));
  });

  it('answers a stranger the same whether the person is unknown or the details are wrong, then stops them', async () => {
    const p = people[1];
    const tries = [
      { name: p.name, idNumber: idNumberOf(777), phoneLast4: '0000' }, // nobody with this ID number
      { name: '王五', idNumber: p.idNumber, phoneLast4: p.phone.slice(-4) }, // wrong name
      { name: p.name, idNumber: p.idNumber, phoneLast4: '0000' }, // wrong phone
      { name: p.name, idNumber: p.idNumber }, // no phone
    ];
    const answers: { status: number; body: string }[] = [];
    for (let i = 0; answers.length < ME_TRIES.points + 5; i++)
      answers.push(await post(site, ME_API.find, tries[i % tries.length], '127.0.0.3'));
    const refusedAt = answers.findIndex((a) => a.status === 429);
    expect(refusedAt).toBe(ME_TRIES.points);
    const before = answers.slice(0, refusedAt);
    expect(new Set(before.map((a) => `${a.status} ${a.body}`)).size).toBe(1);
    expect(before[0].status).toBe(404);
    expect(before[0].body).not.toContain(p.name);
    expect(before[0].body).not.toContain(p.name[0] + '*');
    expect(answers.slice(refusedAt).every((a) => a.status === 429)).toBe(true);
    // The limit holds for the right details too: a guesser who got lucky late gets nothing.
    expect((await post(site, ME_API.find, { name: p.name, idNumber: p.idNumber, phoneLast4: p.phone.slice(-4) }, '127.0.0.3')).status).toBe(
      429,
    );
    // Another address is not affected.
    expect((await post(site, ME_API.find, { name: p.name, idNumber: p.idNumber, phoneLast4: p.phone.slice(-4) }, '127.0.0.4')).status).toBe(
      200,
    );
  });

  it('pre-registers someone not on the roster: a code at once, flagged at the kiosk until staff confirm', async () => {
    const walker = resident(900);
    const waiting = await ok<Preregistration[]>(site, ME_API.preregistrations);
    const req = { key: newKey(), name: walker.name, idNumber: walker.idNumber, building: '1', unit: '2', room: '301', phone: walker.phone };
    const first = await post(site, ME_API.preregister, req, '127.0.0.5');
    expect(first.status).toBe(200);
    const code = JSON.parse(first.body) as FoundCode;
    expect(code).toMatchObject({ maskedName: `${walker.name[0]}*${walker.name[2]}`, unverified: true });
    // A retried submit gets the same code; another pre-registration of that ID number is refused.
    expect(JSON.parse((await post(site, ME_API.preregister, req, '127.0.0.5')).body)).toEqual(code);
    const again = await post(site, ME_API.preregister, { ...req, key: newKey(), name: '李四' }, '127.0.0.5');
    expect(again.status).toBe(409);
    expect(again.body).not.toContain(walker.name);
    // Pre-registering an ID number on the roster gives nobody that person's code.
    const onRoster = await post(site, ME_API.preregister, { ...req, key: newKey(), idNumber: people[2].idNumber }, '127.0.0.5');
    expect(onRoster.status).toBe(409);
    expect(onRoster.body).not.toContain(printed.get(people[2].name) as string);

    const kiosk = await site.connect('kiosk');
    const scanned = added(await scan(kiosk, code.code));
    expect(scanned.resident).toMatchObject({ name: walker.name, household: '1-2-301', unverified: true });

    const pending = await ok<Preregistration[]>(site, ME_API.preregistrations);
    expect(pending).toEqual([
      ...waiting,
      expect.objectContaining({ name: walker.name, building: '1', unit: '2', room: '301', maskedIdNumber: expect.stringContaining('*') }),
    ]);
    const uid = pending.at(-1)!.uid;
    expect((await post(site, ME_API.confirm, { key: newKey(), uids: [uid] })).status).toBe(401);
    expect(await ok(site, ME_API.confirm, { json: { key: newKey(), uids: [uid] } })).toEqual({ confirmed: 1 });
    expect(await ok<Preregistration[]>(site, ME_API.preregistrations)).toEqual(waiting);
    const now = await post(
      site,
      ME_API.find,
      { name: walker.name, idNumber: walker.idNumber, phoneLast4: walker.phone.slice(-4) },
      '127.0.0.5',
    );
    expect(JSON.parse(now.body)).toEqual({ ...code, unverified: false });
  });

  it('shows each person on the phone when they were sampled and in which group, by their codes only', async () => {
    const [p, q] = [people[3], people[4]];
    const kiosk = await site.connect('kiosk', 'kiosk-proof');
    const g = added(await scan(kiosk, printed.get(p.name) as string, { point: 'A' }));
    okReply(await groupAction(kiosk, { groupId: g.group.id, action: 'close' }));
    okReply(await groupAction(kiosk, { groupId: g.group.id, action: 'start', tubeCode: 'PROOF-0001' }));
    okReply(await groupAction(kiosk, { groupId: g.group.id, action: 'seal' }));

    const forged = (printed.get(q.name) as string).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await post(site, ME_API.status, { codes: [printed.get(p.name), printed.get(q.name), forged] }, '127.0.0.6');
    expect(res.status).toBe(200);
    const [sampled, notYet, unknown] = JSON.parse(res.body) as PersonStatus[];
    expect(sampled.result).toMatchObject({ status: 'pending', sample: { groupLabel: g.group.label } });
    expect(Date.parse(sampled.result?.sample?.sampledAt ?? '')).toBeGreaterThan(0);
    expect(notYet.result).toMatchObject({ status: 'not-sampled' });
    expect(notYet.result?.sample).toBeUndefined();
    expect(unknown.result).toBeNull();
    expect(res.body).not.toContain(p.name);

    // The lab's result for that tube comes back: the phone shows it.
    const box = 'BOX-PROOF';
    await ok(site, LAB_API.boxes, { json: { code: box } });
    await ok(site, boxPath(LAB_API.boxTubes, box), { json: { tubeCode: 'PROOF-0001' } });
    await ok(site, boxPath(LAB_API.boxClose, box), { json: {} });
    await ok(site, boxPath(LAB_API.boxHandOver, box), { json: { name: '李师傅', phone: '13800001111' } });
    await ok(site, boxPath(LAB_API.boxReceive, box), { json: { receiver: '王医生', count: 1 } });
    const imported = await fetch(site.url + LAB_API.resultsImport, {
      method: 'POST',
      body: Buffer.from('管码,检测结果\r\nPROOF-0001,阴性\r\n'),
      headers: { authorization: `Bearer ${await site.token('staff')}`, 'content-type': 'application/octet-stream' },
    });
    expect(imported.status).toBe(200);
    const after = JSON.parse((await post(site, ME_API.status, { codes: [printed.get(p.name)] }, '127.0.0.6')).body) as PersonStatus[];
    expect(after[0].result).toMatchObject({ status: 'negative', sample: { groupLabel: g.group.label } });
  });

  it('writes no ID number, phone or name to the log, not even for refused tries', async () => {
    const [p, newcomer] = [people[2], resident(950)];
    const from = '127.0.0.7';
    await post(site, ME_API.find, { name: p.name, idNumber: p.idNumber, phoneLast4: p.phone.slice(-4) }, from);
    await post(site, ME_API.find, { name: p.name, idNumber: p.idNumber.slice(0, 17) + 'Y', phoneLast4: '12' }, from);
    await post(
      site,
      ME_API.preregister,
      { key: newKey(), name: newcomer.name, idNumber: newcomer.idNumber, building: '9', unit: '', room: '101', phone: newcomer.phone },
      from,
    );
    await post(
      site,
      ME_API.preregister,
      { key: 'bad', name: newcomer.name, idNumber: newcomer.idNumber, building: '9', unit: '', room: '101', phone: '12' },
      from,
    );
    expect(lines.length).toBeGreaterThan(0);
    const log = lines.join('\n');
    for (const p of [...people, resident(900), newcomer]) {
      expect(log).not.toContain(p.idNumber);
      if (p.phone) expect(log).not.toContain(p.phone);
      expect(log).not.toContain(p.name);
    }
    expect(log).not.toContain(phoneOf(900));
  });
});
