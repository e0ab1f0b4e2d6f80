// A tablet is shared and passed on; a PIN gets around. Logging out ends a token on every node, a PIN
// change ends every token of that role, and a token lives one sampling day unless the page renews it.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { io } from 'socket.io-client';
import type { Connection } from '../../server/db/connect';
import { RENEW_AFTER_MS, TOKEN_LIFETIME_MS } from '../../server/security/accessTokens';
import { MAX_FAILED_LOGINS } from '../../server/security/loginThrottle';
import { API, type LoginResponse, type PinChangeResponse } from '../../shared/api';
import { RESIDENT_SEARCH_PATH } from '../../shared/residentSearch';
import type { Role } from '../../shared/roles';
import { BACKENDS } from '../support/backends';
import { PINS, startSite, type Client, type TestSite } from '../support/testServer';

function bearer(token: string, json = false): Record<string, string> {
  return json ? { authorization: `Bearer ${token}`, 'content-type': 'application/json' } : { authorization: `Bearer ${token}` };
}

/** A request each role may make: refused with 401 once its token is revoked. */
const PROBE: Record<Exclude<Role, 'display'>, { method: 'GET' | 'POST'; path: string }> = {
  // (a kiosk's searches are limited per device: the suites here stay well below)
  kiosk: { method: 'GET', path: `${RESIDENT_SEARCH_PATH}?q=1-101` },
  volunteer: { method: 'POST', path: API.renew },
  staff: { method: 'GET', path: API.buildings },
};

async function probe(site: TestSite, role: Exclude<Role, 'display'>, token: string, node = 0): Promise<number> {
  const { method, path } = PROBE[role];
  return (await fetch(site.servers[node].url + path, { method, headers: bearer(token) })).status;
}

async function post<T>(site: TestSite, path: string, token: string, body?: unknown, node = 0): Promise<{ status: number; body: T }> {
  const res = await fetch(site.servers[node].url + path, {
    method: 'POST',
    headers: bearer(token, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function login(site: TestSite, role: Role, pin: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(site.url + API.login, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, pin }),
  });
  return { status: res.status, token: ((await res.json()) as Partial<LoginResponse>).token };
}

const opened: Client[] = [];

/** A socket with this very token: resolves once it has its snapshot, or with the handshake's refusal. */
function socketWith(site: TestSite, token: string, node = 0): Promise<{ socket: Client } | { refused: string }> {
  const socket: Client = io(site.servers[node].url, { auth: { token }, transports: ['websocket'], reconnection: false });
  opened.push(socket);
  return new Promise((resolve) => {
    socket.once('snapshot', () => resolve({ socket }));
    socket.once('connect_error', (err) => resolve({ refused: err.message }));
  });
}

async function connected(site: TestSite, token: string, node = 0): Promise<Client> {
  const r = await socketWith(site, token, node);
  if ('refused' in r) throw new Error(`socket refused: ${r.refused}`);
  return r.socket;
}

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

describe.each(BACKENDS)('sessions (%s)', (backend) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startSite(backend);
  });
  afterAll(() => site?.close());
  const lastNode = () => site.servers.length - 1;

  it('logs out: the token is refused on HTTP and on a new socket, and its open sockets are closed on every node', async () => {
    const token = await site.token('kiosk');
    const other = await site.token('kiosk'); // another kiosk, same role
    expect(await probe(site, 'kiosk', token)).toBe(200);
    const here = await connected(site, token, 0);
    const there = await connected(site, token, lastNode());
    const bystander = await connected(site, other, lastNode());

    expect((await post(site, API.logout, token, undefined, lastNode())).status).toBe(200);

    expect(await probe(site, 'kiosk', token, 0)).toBe(401);
    expect(await probe(site, 'kiosk', token, lastNode())).toBe(401);
    await vi.waitFor(() => expect([here.connected, there.connected]).toEqual([false, false]));
    expect(await socketWith(site, token, 0)).toEqual({ refused: 'unauthorized' });
    expect((await post(site, API.renew, token)).status).toBe(401);
    // The other kiosk's session goes on.
    expect(bystander.connected).toBe(true);
    expect(await probe(site, 'kiosk', other)).toBe(200);
  });

  it('renews a token once a quarter of its life has passed, in the same session', async () => {
    const fresh = await site.token('volunteer');
    const same = await post<LoginResponse>(site, API.renew, fresh);
    expect(same.body.token).toBe(fresh);
    expect(same.body.renewIn).toBeGreaterThan(0);

    const old = (await site.server.tokens.login('volunteer', Date.now() - RENEW_AFTER_MS - 60_000)).token;
    const renewed = await post<LoginResponse>(site, API.renew, old, undefined, lastNode());
    expect(renewed.status).toBe(200);
    expect(renewed.body.token).not.toBe(old);
    expect(renewed.body.expiresIn).toBeGreaterThan(TOKEN_LIFETIME_MS - 60_000);
    expect(renewed.body.expiresIn).toBeLessThanOrEqual(TOKEN_LIFETIME_MS);
    expect(await probe(site, 'volunteer', renewed.body.token)).toBe(200);
    await connected(site, renewed.body.token);

    // One logout ends the session: the token it was renewed from too.
    expect((await post(site, API.logout, renewed.body.token)).status).toBe(200);
    expect(await probe(site, 'volunteer', old)).toBe(401);
    expect(await probe(site, 'volunteer', renewed.body.token)).toBe(401);
  });

  it('refuses an expired token, and closes a socket when its token expires', async () => {
    const expired = (await site.server.tokens.login('staff', Date.now() - TOKEN_LIFETIME_MS - 1000)).token;
    expect(await probe(site, 'staff', expired)).toBe(401);
    expect(await socketWith(site, expired)).toEqual({ refused: 'unauthorized' });
    expect((await post(site, API.renew, expired)).status).toBe(401);

    const ending = (await site.server.tokens.login('staff', Date.now() - TOKEN_LIFETIME_MS + 1500)).token;
    const socket = await connected(site, ending);
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
    expect(await probe(site, 'staff', ending)).toBe(401);
  });

  it('refuses a forged token, and purges logged-out sessions once they have expired', async () => {
    const token = await site.token('staff');
    const forged = token.replace(/^staff/, 'kiosk');
    expect(await probe(site, 'kiosk', forged)).toBe(401);
    const { db } = (site.server.store as unknown as { conn: Connection }).conn;
    await sql`insert into revoked_tokens (id, expires_at) values ('gone', '2000-01-01T00:00:00.000Z')`.execute(db);
    expect((await post(site, API.logout, token)).status).toBe(200);
    const { rows } = await sql<{ id: string }>`select id from revoked_tokens where id = 'gone'`.execute(db);
    expect(rows).toEqual([]);
  });
});

describe.each(BACKENDS.filter((b) => b === 'sqlite'))('token checks without the database (%s)', (backend) => {
  let site: TestSite | undefined;
  afterAll(() => site?.close());

  it('refuses a socket as "unavailable", not "unauthorized", when the token cannot be checked: the page retries instead of asking for the PIN', async () => {
    const s = (site = await startSite(backend));
    const token = await s.token('kiosk');
    const { db } = (s.server.store as unknown as { conn: Connection }).conn;
    await sql`alter table revoked_tokens rename to revoked_tokens_gone`.execute(db);
    expect(await socketWith(s, token)).toEqual({ refused: 'unavailable' });
    expect(await probe(s, 'kiosk', token)).toBe(500);
    await sql`alter table revoked_tokens_gone rename to revoked_tokens`.execute(db);
    await connected(s, token);
  });
});

describe.each(BACKENDS)('PIN changes (%s)', (backend) => {
  let site: TestSite | undefined;
  afterEach(async () => {
    await site?.close();
    site = undefined;
  });

  it('staff change the kiosk PIN: every kiosk token is refused (HTTP, sockets on every node), other roles keep theirs', async () => {
    const s = (site = await startSite(backend));
    const last = s.servers.length - 1;
    const staff = await s.token('staff');
    const kiosk = await s.token('kiosk');
    const volunteer = await s.token('volunteer');
    const kioskSockets = [await connected(s, kiosk, 0), await connected(s, kiosk, last)];
    const volunteerSocket = await connected(s, volunteer, last);

    const changed = await post<PinChangeResponse>(s, API.pinChange, staff, { role: 'kiosk', pin: '4567' });
    expect(changed).toEqual({ status: 200, body: { role: 'kiosk' } });

    expect(await probe(s, 'kiosk', kiosk, 0)).toBe(401);
    expect(await probe(s, 'kiosk', kiosk, last)).toBe(401);
    await vi.waitFor(() => expect(kioskSockets.map((k) => k.connected)).toEqual([false, false]));
    expect(await socketWith(s, kiosk, last)).toEqual({ refused: 'unauthorized' });
    expect((await login(s, 'kiosk', PINS.kiosk)).status).toBe(403);
    const relogged = await login(s, 'kiosk', '4567');
    expect(relogged.status).toBe(200);
    expect(await probe(s, 'kiosk', relogged.token!)).toBe(200);

    expect(volunteerSocket.connected).toBe(true);
    expect(await probe(s, 'volunteer', volunteer)).toBe(200);
    expect(await probe(s, 'staff', staff)).toBe(200);

    // Audited, without the PIN.
    const { db } = (s.server.store as unknown as { conn: Connection }).conn;
    const { rows } = await sql<{
      action: string;
      subject: string;
      detail: string;
    }>`select action, subject, detail from audit where action = 'pin:change'`.execute(db);
    expect(rows).toEqual([{ action: 'pin:change', subject: 'kiosk', detail: 'changed on the staff page' }]);
  });

  it('a staff PIN change needs the current staff PIN; the changing page gets a new login, other staff tokens end', async () => {
    const s = (site = await startSite(backend));
    const staff = await s.token('staff');
    const otherStaff = await s.token('staff');
    const otherSocket = await connected(s, otherStaff);

    const without = await post<{ error: { code: string } }>(s, API.pinChange, staff, { role: 'staff', pin: '8765' });
    expect(without).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    const wrong = await post<{ error: { code: string } }>(s, API.pinChange, staff, { role: 'staff', pin: '8765', currentPin: '0000' });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const taken = await post<{ error: { code: string } }>(s, API.pinChange, staff, {
      role: 'staff',
      pin: PINS.kiosk,
      currentPin: PINS.staff,
    });
    expect(taken).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    expect((await post(s, API.pinChange, await s.token('kiosk'), { role: 'kiosk', pin: '4567' })).status).toBe(403);
    expect(await probe(s, 'staff', otherStaff)).toBe(200); // nothing changed yet

    const changed = await post<PinChangeResponse>(s, API.pinChange, staff, { role: 'staff', pin: '8765', currentPin: PINS.staff });
    expect(changed.status).toBe(200);
    expect(await probe(s, 'staff', staff)).toBe(401);
    expect(await probe(s, 'staff', otherStaff)).toBe(401);
    await vi.waitFor(() => expect(otherSocket.connected).toBe(false));
    expect(await probe(s, 'staff', changed.body.login!.token)).toBe(200);
    expect((await login(s, 'staff', '8765')).status).toBe(200);
  });

  it('counts wrong current staff PINs like wrong logins: guessing is refused before the PIN is checked', async () => {
    const s = (site = await startSite(backend));
    const staff = await s.token('staff');
    const guesses = await Promise.all(
      Array.from({ length: MAX_FAILED_LOGINS }, (_, k) =>
        post(s, API.pinChange, staff, { role: 'staff', pin: '8765', currentPin: String(5000 + k) }),
      ),
    );
    expect(guesses.map((g) => g.status)).toEqual(Array(MAX_FAILED_LOGINS).fill(403));
    const right = await post<{ error: { code: string } }>(s, API.pinChange, staff, { role: 'staff', pin: '8765', currentPin: PINS.staff });
    expect(right).toMatchObject({ status: 429, body: { error: { code: 'rate-limited' } } });
    expect(await probe(s, 'staff', staff)).toBe(200); // nothing changed
  });

  it('a restart with a different PIN in the environment revokes that role; the same PIN revokes nothing', async () => {
    const s = (site = await startSite(backend));
    const kiosk = await s.token('kiosk');
    const volunteer = await s.token('volunteer');
    await s.restart();
    expect(await probe(s, 'kiosk', kiosk)).toBe(200);

    await s.restart({ KIOSK_PIN: '2468' });
    expect(await probe(s, 'kiosk', kiosk)).toBe(401);
    expect(await socketWith(s, kiosk, s.servers.length - 1)).toEqual({ refused: 'unauthorized' });
    expect(await probe(s, 'volunteer', volunteer)).toBe(200);
    expect((await login(s, 'kiosk', PINS.kiosk)).status).toBe(403);
    expect((await login(s, 'kiosk', '2468')).status).toBe(200);
  });
});
