// Whatever a broken kiosk, a curious visitor or an attacker sends: a clear refusal, nothing
// written, and the server keeps serving everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { API } from '../../shared/api';
import { idCheckChar } from '../../shared/idNumber';
import { BACKENDS } from '../support/backends';
import { newKey, PINS, type Listener } from '../support/testServer';
import { added, emitRaw, failure, ok, residents, scan, startSiteWithRoster, sync, type RosterSite } from './helpers';

const PEOPLE = residents(0, 12);

/** The socket without its typed events: to send what no well-behaved client would. */
const raw = (l: Listener) => l.socket as unknown as { emit(ev: string, ...args: unknown[]): void };

describe.each(BACKENDS)('bad input (%s)', (backend) => {
  let rs: RosterSite;
  let kiosk: Listener;
  let display: Listener;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    [kiosk, display] = await Promise.all([rs.site.connect('kiosk', 'kiosk-1'), rs.site.connect('display')]);
  });
  afterAll(() => rs?.site.close());

  /** Runs `act` and checks the queue did not change at all. */
  async function nothingWritten(act: () => Promise<void>) {
    const before = await sync(display);
    await act();
    expect(await sync(display)).toEqual(before);
  }

  describe('over the socket', () => {
    it('answers malformed scan payloads with "invalid", writes nothing and keeps serving', async () => {
      const input = rs.code(PEOPLE[0]);
      const good = { key: newKey(), point: 'A', input };
      const payloads: unknown[] = [
        {},
        null,
        'scan me',
        42,
        [good],
        { point: 'A', input },
        { key: newKey(), input },
        { key: newKey(), point: 'A' },
        { ...good, key: 12345678 },
        { ...good, input: 42 },
        { ...good, point: ['A'] },
        { ...good, input: { code: input } },
        { ...good, extra: true },
        { ...good, constructor: 'x' },
        { ...good, key: 'short' },
        { ...good, key: 'has spaces in it' },
        { ...good, key: 'k'.repeat(65) },
        { ...good, input: '' },
        { ...good, input: input + ' '.repeat(300) },
        { ...good, input: 'x'.repeat(300) },
        { ...good, point: 'a' },
        { ...good, point: 'ABCD' },
        { ...good, point: '' },
        { ...good, scannedAt: 'yesterday' },
      ];
      await nothingWritten(async () => {
        for (const payload of payloads) {
          expect(failure(await emitRaw(kiosk, 'scan', payload)), JSON.stringify(payload)).toMatchObject({ code: 'invalid' });
        }
      });
      // Still serving, and the person in those payloads was never queued.
      expect(added(await scan(kiosk, input)).resident.name).toBe(PEOPLE[0].name);
    });

    it('refuses a scan at a sampling point that does not exist ("not-found"), writing nothing', async () => {
      await nothingWritten(async () => {
        expect(failure(await scan(kiosk, rs.code(PEOPLE[4]), { point: 'Z' }))).toMatchObject({
          code: 'not-found',
          reason: 'point.not-found',
          params: { point: 'Z' },
        });
      });
      expect(added(await scan(kiosk, rs.code(PEOPLE[4]))).resident.name).toBe(PEOPLE[4].name);
    });

    it('answers malformed group, call and absence requests with "invalid"', async () => {
      const payloads: [string, unknown][] = [
        ['group:action', { key: newKey(), groupId: -1, action: 'close' }],
        ['group:action', { key: newKey(), groupId: 1.5, action: 'close' }],
        ['group:action', { key: newKey(), groupId: 1, action: 'explode' }],
        ['group:action', { key: newKey(), groupId: 1, action: 'start', tubeCode: 'x' }],
        ['group:action', { key: newKey(), groupId: '1', action: 'close' }],
        ['group:call-next', { key: newKey(), point: 'a' }],
        ['member:absent', { key: newKey(), memberId: '1' }],
        ['walk-in', { key: newKey(), point: 'A', name: '', idNumber: '110105198001010011' }],
        ['walk-in', { key: newKey(), point: 'A', name: '李'.repeat(41), idNumber: '110105198001010011' }],
        ['walk-in', { key: newKey(), point: 'A', name: '李\u0000四', idNumber: '110105198001010011' }],
        ['walk-in', { key: newKey(), point: 'A', name: '李四\u0007', idNumber: '110105198001010011' }],
        ['walk-in', { key: newKey(), point: 'A', name: '李四', idNumber: '110105198001010011', room: '50\u001b1' }],
      ];
      const staff = await rs.site.connect('staff');
      await nothingWritten(async () => {
        for (const [event, payload] of payloads) {
          expect(failure(await emitRaw(staff, event, payload)), `${event} ${JSON.stringify(payload)}`).toMatchObject({ code: 'invalid' });
        }
      });
    });

    it('refuses a walk-in name with a control character, saying which field and why', async () => {
      await nothingWritten(async () => {
        for (const name of ['王\u0000五', '王五\u0007']) {
          const reply = failure(await emitRaw(kiosk, 'walk-in', { key: newKey(), point: 'A', name, idNumber: '110105198001010011' }));
          expect(reply).toMatchObject({ code: 'invalid', reason: 'request.invalid', params: { fields: 'name' } });
        }
      });
    });

    it('survives requests without an acknowledgement callback', async () => {
      await nothingWritten(async () => {
        raw(kiosk).emit('scan', { key: newKey(), point: 'a', input: 'x' });
        raw(kiosk).emit('scan', { key: newKey(), point: 'A', input: rs.code(PEOPLE[1]), extra: 1 });
        raw(kiosk).emit('scan');
        raw(kiosk).emit('sync', 'not a function');
        raw(kiosk).emit('no-such-event', { key: newKey() });
        // The server handles one socket's messages in order: once this is answered, those were read.
        await sync(kiosk);
      });
      expect(kiosk.socket.connected).toBe(true);
      expect(added(await scan(kiosk, rs.code(PEOPLE[1]))).resident.name).toBe(PEOPLE[1].name);
    });

    it('drops a socket that sends a message over 16 KB; everyone else carries on', async () => {
      const big = await rs.site.connect('kiosk', 'kiosk-big');
      const dropped = new Promise<string>((resolve) => big.socket.on('disconnect', resolve));
      await nothingWritten(async () => {
        // Just under the limit: an ordinary refusal.
        expect(failure(await emitRaw(big, 'scan', { key: newKey(), point: 'A', input: 'x'.repeat(15_000) })).code).toBe('invalid');
        raw(big).emit('scan', { key: newKey(), point: 'A', input: rs.code(PEOPLE[2]) + ' '.repeat(20_000) });
        expect(await dropped).toMatch(/transport close|transport error|io server disconnect/);
      });
      expect(big.socket.connected).toBe(false);
      expect(kiosk.socket.connected && display.socket.connected).toBe(true);
      expect(added(await scan(kiosk, rs.code(PEOPLE[2]))).resident.name).toBe(PEOPLE[2].name);
    });

    it('rejects a forged code, unreadable text and an ID number with a wrong check character', async () => {
      const real = rs.code(PEOPLE[3]);
      const last = real.at(-1)!;
      const forged = real.slice(0, -1) + (last === '0' ? '1' : '0');
      const otherUid = `NQ1:0123456789:${real.split(':')[2]}`;
      const id = PEOPLE[3].idNumber;
      const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
      const impossibleDate = `11010519800230123`;
      await nothingWritten(async () => {
        expect(ok(await scan(kiosk, forged))).toEqual({ kind: 'rejected', reason: 'forged' });
        expect(ok(await scan(kiosk, otherUid))).toEqual({ kind: 'rejected', reason: 'forged' });
        for (const garbage of ['hello world', '!!!', 'NQ1:not-a-code', '12345', '<script>alert(1)</script>', '😀']) {
          expect(ok(await scan(kiosk, garbage)), garbage).toEqual({ kind: 'rejected', reason: 'unreadable' });
        }
        expect(ok(await scan(kiosk, wrongCheck))).toEqual({
          kind: 'rejected',
          reason: 'bad-id-number',
          idType: 'resident-id',
          fault: 'id-check',
        });
        expect(ok(await scan(kiosk, impossibleDate + idCheckChar(impossibleDate)))).toEqual({
          kind: 'rejected',
          reason: 'bad-id-number',
          idType: 'resident-id',
          fault: 'id-birth-date',
        });
      });
      // The genuine code still works.
      expect(added(await scan(kiosk, real)).resident.name).toBe(PEOPLE[3].name);
    });

    it('refuses a socket with a bogus token: connect_error "unauthorized"', async () => {
      for (const token of ['bogus', 'staff.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 42, '']) {
        const socket = io(rs.site.url, { auth: { token }, transports: ['websocket'], reconnection: false });
        try {
          const err = await new Promise<Error>((resolve, reject) => {
            socket.once('connect_error', resolve);
            socket.once('connect', () => reject(new Error(`connected with token ${String(token)}`)));
          });
          expect(err.message).toBe('unauthorized');
        } finally {
          socket.close();
        }
      }
    });
  });

  describe('over HTTP', () => {
    const post = (path: string, body: BodyInit, headers: Record<string, string>) =>
      fetch(rs.site.url + path, { method: 'POST', body, headers });

    it('refuses a wrong PIN with 403 and its reason, no text', async () => {
      const res = await post(API.login, JSON.stringify({ role: 'staff', pin: '9999' }), { 'content-type': 'application/json' });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'forbidden', reason: 'auth.wrong-pin', params: {} } });
      const malformed = await post(API.login, JSON.stringify({ role: 'staff', pin: PINS.staff, admin: true }), {
        'content-type': 'application/json',
      });
      expect(malformed.status).toBe(400);
    });

    it('refuses a roster import without a token (401) or as a kiosk (403), importing nothing', async () => {
      const csv = rosterCsv(residents(500, 3).map((e) => ({ ...e, building: '77' })));
      const anonymous = await post(API.rosterImport, csv, { 'content-type': 'text/csv' });
      // No token: "log in first" (401); a token of the wrong role: forbidden (403).
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      const asKiosk = await rs.site.importRoster(csv, 'roster.csv', 'kiosk');
      expect(asKiosk.status).toBe(403);
      const forged = await post(API.rosterImport, csv, { 'content-type': 'text/csv', authorization: 'Bearer staff.9999999999.forged' });
      expect(forged.status).toBe(401);
      expect(await rs.site.codes('77')).toEqual([]);
    });

    it('answers a file that is not a roster with 400 and a clear message', async () => {
      const junk = Buffer.from(Array.from({ length: 4096 }, (_, k) => (k * 131 + 7) % 256));
      const random = await rs.site.importRoster(junk, 'roster.xlsx');
      expect(random.status).toBe(400);
      expect(['file.binary', 'file.not-xlsx', 'file.csv-unreadable']).toContain(random.body.error?.reason);

      const empty = await rs.site.importRoster(Buffer.alloc(0));
      expect(empty.status).toBe(400);
      expect(empty.body.error?.reason).toBe('request.no-body');

      const page = await rs.site.importRoster('<!doctype html><html><body>登录超时</body></html>', 'roster.xls');
      expect(page.status).toBe(400);
      expect(page.body.error?.reason).toBe('file.web-page');
    });

    it('answers missing required columns with 400 naming them', async () => {
      const res = await rs.site.importRoster('\uFEFF姓名,手机号,楼栋\r\n张三,13800138000,1\r\n');
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ reason: 'roster.missing-columns' });
      const columns = String((res.body.error?.params as Record<string, unknown>).columns);
      expect(columns).toContain('身份证号');
      expect(columns).toContain('房号');
      expect(columns).not.toContain('姓名');
    });

    it('answers an unknown /api path with a 404 JSON body', async () => {
      for (const [method, path] of [
        ['GET', '/api/nope'],
        ['POST', '/api/roster/delete'],
        ['GET', '/api/buildings/1'],
      ]) {
        const res = await fetch(rs.site.url + path, { method });
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not-found');
      }
    });
  });
});
