// Generated garbage, oversized and forged requests against every socket event and HTTP route the
// server registers (found at run time, so new features are covered too). Every one gets a clear
// refusal, the server keeps serving, and nothing is written. Bounded and seeded (fast-check generators): FUZZ_SEED=n repeats a run.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../server/db/connect';
import { MAX_MESSAGE_BYTES } from '../../server/socket/socketServer';
import { API } from '../../shared/api';
import { ERROR_CODES, type Reply } from '../../shared/protocol';
import { REASON_CODES, type ReasonCode } from '../../shared/reasons';
import type { Role } from '../../shared/roles';
import { BACKENDS } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import { added, emitRaw, residents, scan, startSiteWithRoster, sync, type RosterSite } from './helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 7_2026);
const SOCKET_CASES = 2000;
const HTTP_CASES = 600;
const BATCH = 40;

const STRINGS = [
  '',
  ' ',
  'A',
  'a',
  'Z',
  'ZZZZ',
  '0',
  '-1',
  'null',
  'true',
  '{}',
  '[]',
  'NaN',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '张三',
  '<script>alert(1)</script>',
  "'; drop table residents; --",
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  // Shaped like real inputs but forged or wrong: a code with a bad signature, an ID with a bad check character.
  'NQ1:AAAAAAAAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBB',
  'NQ1::',
  '110105198001010010',
  '１１０１０５１９８００１０１００１０',
  'staff.9999999999.forged',
  'display',
  'kiosk',
  'staff',
  'close',
  'start',
  'seal',
  'call',
];
const NUMBERS = [0, -1, 1, 1.5, -0, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53 + 2, -(2 ** 53), 1e308, 999_999_999];
const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$where', ''];
const FIELD_NAMES = [...DANGEROUS_KEYS, 'key', 'point', 'input', 'groupId', 'memberId'];

/** An object made by JSON.parse, so "__proto__" is an own key, as a hostile client's JSON would make it. */
function parsedObject(entries: [string, unknown][]): Record<string, unknown> {
  const masked = Object.fromEntries(entries.map(([k, v]) => [k === '__proto__' ? '__PROTO__' : k, v]));
  return JSON.parse(JSON.stringify(masked).replace('"__PROTO__"', '"__proto__"'));
}

function nested(value: unknown, depth: number): unknown {
  for (let k = depth; k > 0; k--) value = { a: value };
  return value;
}

const primitive: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.constantFrom(...NUMBERS),
  fc.constantFrom(null, undefined, true, false),
  fc.tuple(fc.constantFrom('x', '李', '9', 'A-'), fc.constantFrom(8, 65, 257, 2000, 6000)).map(([s, n]) => s.repeat(n)),
);

/** Any JSON-ish value: primitives, long strings, deep nesting, prototype-pollution keys. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4 },
    primitive,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(fc.constantFrom(...FIELD_NAMES), tie('value')), { minLength: 1, maxLength: 3 }).map(parsedObject),
    fc.tuple(primitive, fc.nat(59)).map(([v, depth]) => nested(v, depth)),
  ),
})).value;

/** A value as text, even an object whose own "toString" key is not a function. */
function asText(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** URL-encodes anything (a lone surrogate becomes U+FFFD, as a browser would send it). */
function uriPart(v: string): string {
  return encodeURIComponent(v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** A well-formed request for each event the tests know, to mutate one field at a time. */
function baseRequest(event: string): Record<string, unknown> {
  const key = newKey();
  switch (event) {
    case 'scan':
      return { key, point: 'A', input: 'NQ1:AAAAAAAAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBB' };
    case 'walk-in':
      return { key, point: 'A', name: '伪造', idNumber: '110105198001010010' };
    case 'group:action':
      return { key, groupId: 999_999, action: 'close' };
    case 'group:call-next':
      return { key, point: 'Q' };
    default:
      return { key, memberId: 999_999, groupId: 999_999 };
  }
}

/** Garbage, or a well-formed request with one field replaced, dropped or an extra (dangerous) one added. */
function payloadFor(event: string): fc.Arbitrary<unknown> {
  const base = fc.constant(event).map(baseRequest);
  const field = fc.constantFrom(...Object.keys(baseRequest(event)));
  return fc
    .oneof(
      anyValue,
      fc.tuple(base, field, anyValue).map(([b, f, v]) => ({ ...b, [f]: v })),
      fc.tuple(base, field).map(([b, f]) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== f))),
      fc.tuple(base, fc.constantFrom(...DANGEROUS_KEYS), anyValue).map(([b, k, v]) => parsedObject([...Object.entries(b), [k, v]])),
      // Payloads stay under Socket.IO's message limit (bigger ones drop the client: tested on their own).
    )
    .filter((payload) => (JSON.stringify(payload) ?? '').length * 3 < MAX_MESSAGE_BYTES);
}

const ROLES = ['kiosk', 'volunteer', 'staff', 'display'] as const;

/** Generated cases, the same for the same seed: FUZZ_SEED=n replays a failing run. */
function cases<T>(arb: fc.Arbitrary<T>, seed: number, numRuns: number): T[] {
  return fc.sample(arb, { seed, numRuns });
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let done = 0; done < items.length; done += BATCH) await Promise.all(items.slice(done, done + BATCH).map(run));
}

/** A refusal a person can act on: a known code, a reason the pages word, and never "internal". */
function expectClearRefusal(reply: Reply<unknown>, what: string) {
  expect(reply.ok, what).toBe(false);
  if (reply.ok) return;
  expect(ERROR_CODES, what).toContain(reply.error.code);
  expect(reply.error.code, what).not.toBe('internal');
  expect(REASON_CODES, what).toContain(reply.error.reason);
}

/** Every route Fastify registered: `printRoutes` draws a tree, each level indented by 4. */
function routesOf(tree: string): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ├└─]*)(\/\S*) \(([A-Z, ]+)\)$/.exec(line.trimEnd());
    const plain = m ? null : /^([│ ├└─]*)(\/\S*)$/.exec(line.trimEnd());
    const indent = (m ?? plain)?.[1].length;
    if (indent === undefined) continue;
    const depth = Math.floor(indent / 4);
    stack.length = depth;
    stack[depth] = (m ?? plain)![2];
    if (m) for (const method of m[3].split(', ')) if (method !== 'HEAD') out.push({ method, url: stack.join('') });
  }
  return out;
}

// The requests are the same on every store; SQLite keeps the run short.
describe.each(BACKENDS.filter((b) => b === 'sqlite'))('fuzzing every socket event and HTTP route (%s)', (backend) => {
  const people = residents(0, 4);
  let rs: RosterSite;
  let clients: Record<Role, Listener>;
  let tokens: Partial<Record<Role, string>>;

  /** Row counts of every table, and the change version: what "nothing written" means. */
  async function state() {
    const { db } = (rs.site.server.store as unknown as { conn: Connection }).conn;
    const tables = (
      await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
    ).rows;
    const counts: Record<string, number> = {};
    // Stored replies of refused no-ops (a call with nobody waiting) are not data: left out; nor is a fuzzer's token it logged out.
    for (const { name } of tables.filter((t) => t.name !== 'requests' && t.name !== 'revoked_tokens')) {
      counts[name] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0].n);
    }
    // A resident search is a read that leaves its trace by design (who searched, the query masked).
    counts.audit -= Number(
      (await sql<{ n: number }>`select count(*) as n from audit where action = 'resident:search'`.execute(db)).rows[0].n,
    );
    return { version: (await sync(clients.display)).version, counts };
  }

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, people);
    const roles: Role[] = ['kiosk', 'volunteer', 'staff', 'display'];
    const connected = await Promise.all(roles.map((role) => rs.site.connect(role, `${role}-fuzz`)));
    clients = Object.fromEntries(roles.map((role, k) => [role, connected[k]])) as Record<Role, Listener>;
    tokens = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await rs.site.token(role)])));
    // One person already queued, so group and member ids exist to be forged against.
    added(await scan(clients.kiosk, rs.code(people[0])));
  });
  afterAll(() => rs?.site.close());

  it(`refuses ${SOCKET_CASES} generated socket requests clearly, writing nothing`, async () => {
    const serverSocket = rs.site.server.io.of('/').sockets.get(clients.kiosk.socket.id!)!;
    // Every event a client may send, as registered on the server; sync takes no payload.
    const events = serverSocket
      .eventNames()
      .map(String)
      .filter((e) => !['sync', 'error', 'disconnect', 'disconnecting'].includes(e));
    expect(events).toEqual(expect.arrayContaining(['scan', 'walk-in', 'group:action', 'group:call-next', 'member:absent']));
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype);
    const before = await state();
    const socketCase = fc
      .record({ role: fc.constantFrom(...ROLES), event: fc.constantFrom(...events) })
      .chain(({ role, event }) => payloadFor(event).map((payload) => ({ role, event, payload })));
    await inBatches(cases(socketCase, SEED, SOCKET_CASES), async ({ role, event, payload }) => {
      const what = `${role} ${event} ${JSON.stringify(payload)?.slice(0, 200)} (FUZZ_SEED=${SEED})`;
      const reply = await emitRaw(clients[role], event, payload).catch((err: Error) => {
        throw new Error(`${err.message}: ${what}`);
      });
      // A forged code is read and refused as a scan outcome; nothing else may succeed.
      if (reply.ok && event === 'scan' && role !== 'display') {
        expect(['rejected', 'not-on-roster'], what).toContain((reply.value as { kind: string }).kind);
      } else if (reply.ok && event === 'group:call-next' && reply.value === null) {
        // Nobody waiting at that point: a valid request with nothing to do.
      } else {
        expectClearRefusal(reply, what);
        if (role === 'display' && !reply.ok) expect(reply.error.code, what).toBe('forbidden');
      }
    });
    expect(await state()).toEqual(before);
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Still serving: a real scan goes through.
    expect(added(await scan(clients.kiosk, rs.code(people[1]))).resident.name).toBe(people[1].name);
  });

  it('drops a client that sends an oversized message, and keeps serving the others', async () => {
    const big = await rs.site.connect('kiosk', 'kiosk-big');
    const before = await state();
    const closed = new Promise((resolve) => big.socket.once('disconnect', resolve));
    big.socket.emit('scan', { key: newKey(), point: 'A', input: 'x'.repeat(64 * 1024) }, () => {});
    expect(await closed).toBeTruthy();
    expect(await state()).toEqual(before);
    expect(added(await scan(clients.kiosk, rs.code(people[2]))).resident.name).toBe(people[2].name);
  });

  it(`refuses ${HTTP_CASES} generated HTTP requests to every route clearly, writing nothing`, async () => {
    const routes = routesOf(rs.site.server.http.printRoutes({ commonPrefix: false })).filter((x) => x.url.startsWith('/api/'));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const before = await state();
    const auths = [
      undefined,
      'Bearer',
      'Bearer garbage',
      'Bearer staff.9999999999.forged',
      'Basic c3RhZmY6MzMzMw==',
      `Bearer ${tokens.display}`,
      `Bearer ${tokens.kiosk}`,
      `Bearer ${tokens.volunteer}`,
    ];
    const text300 = (n: number) => anyValue.map((v) => uriPart(asText(v).slice(0, n)));
    const httpCase = fc.record({
      route: fc.constantFrom(...routes),
      otherMethod: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), { freq: 4 }),
      staffRead: fc.boolean(),
      auth: fc.constantFrom(...auths),
      params: fc.array(text300(300), { minLength: 3, maxLength: 3 }),
      query: fc.option(fc.tuple(fc.constantFrom('building', 'filename', 'q', 'format', 'round'), text300(500))),
      contentType: fc.constantFrom(
        'application/json',
        'text/csv',
        'application/octet-stream',
        'text/plain',
        'multipart/form-data',
        undefined,
      ),
      jsonBody: fc.boolean(),
      body: anyValue,
    });
    await inBatches(cases(httpCase, SEED + 1, HTTP_CASES), async (c) => {
      const method = c.otherMethod ?? c.route.method;
      // The staff token only reads: a write with it could be legitimate.
      const auth = method === 'GET' && c.staffRead ? `Bearer ${tokens.staff}` : c.auth;
      let param = 0;
      const url =
        c.route.url.replace(/:\w+/g, () => c.params[param++ % c.params.length]) +
        (c.query ? `?${encodeURIComponent(c.query[0])}=${c.query[1]}` : '');
      const body =
        method === 'GET' || method === 'DELETE'
          ? undefined
          : c.contentType === 'application/json' && c.jsonBody
            ? (JSON.stringify(c.body) ?? 'null')
            : asText(c.body);
      const res = await fetch(rs.site.url + url, {
        method,
        body,
        headers: {
          ...(auth ? { authorization: auth } : {}),
          ...(c.contentType && body !== undefined ? { 'content-type': c.contentType } : {}),
        },
      });
      const text = await res.text();
      const what = `${method} ${url} ${auth ?? 'no token'} ${c.contentType} ${body?.slice(0, 120)} → ${res.status} ${text.slice(0, 200)} (FUZZ_SEED=${SEED})`;
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) {
        const { error } = JSON.parse(text) as { error: { code: string; reason: ReasonCode } };
        expect(ERROR_CODES, what).toContain(error.code);
        expect(REASON_CODES, what).toContain(error.reason);
      } else {
        // Only reads succeed, and renewing or ending the fuzzer's own token; nobody without the staff token reads personal data.
        expect(method === 'GET' || [API.renew, API.logout].includes(url.split('?')[0] as typeof API.renew), what).toBe(true);
        if (!auth?.includes(tokens.staff!)) {
          expect(text, what).not.toMatch(/\d{17}[\dX]/);
          expect(text, what).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
        }
      }
    });
    expect(await state()).toEqual(before);
    expect((await fetch(rs.site.url + '/api/health')).status).toBe(200);
  });

  it('refuses staff data to the display, with or without its token', async () => {
    const staffOnly = routesOf(rs.site.server.http.printRoutes({ commonPrefix: false })).filter(
      (x) => x.method === 'GET' && /^\/api\/(buildings|households|residents|conflicts|lab\/retests|audit)/.test(x.url),
    );
    expect(staffOnly.length).toBeGreaterThanOrEqual(2);
    for (const { url } of staffOnly) {
      const path = url.replace(/:\w+/g, '1') + '?building=1&q=1';
      expect((await fetch(rs.site.url + path)).status, path).toBe(401);
      expect((await fetch(rs.site.url + path, { headers: { authorization: `Bearer ${tokens.display}` } })).status, path).toBe(403);
    }
  });
});
