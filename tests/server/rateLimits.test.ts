// A stuck scanner key or a script floods one kiosk's socket; someone guesses PINs at the login.
// Both are refused with a clear message before they cost the database anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/api';
import { FAILED_LOGIN_WINDOW_MS, LoginThrottle, MAX_FAILED_LOGINS } from '../../server/security/loginThrottle';
import { SCAN_BURST, SCANS_PER_SECOND, TokenBucket } from '../../server/socket/rateLimit';
import { BACKENDS } from '../support/backends';
import { PINS, type Listener } from '../support/testServer';
import { added, failure, ok, residents, scan, settled, startSiteWithRoster, sync, type RosterSite } from './helpers';

describe('token bucket', () => {
  it('allows a burst, then refills at its rate', () => {
    let t = 0;
    const bucket = new TokenBucket(20, 20, () => t);
    expect(Array.from({ length: 25 }, () => bucket.take()).filter(Boolean)).toHaveLength(20);
    t += 100; // a tenth of a second: two more
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    t += 60_000; // never more than the burst, however long the pause
    expect(Array.from({ length: 25 }, () => bucket.take()).filter(Boolean)).toHaveLength(20);
  });
});

describe('login throttle', () => {
  it('blocks an address after 10 wrong PINs for the rest of the window, and forgets it after', () => {
    let t = 0;
    const throttle = new LoginThrottle(() => t);
    for (let k = 0; k < MAX_FAILED_LOGINS - 1; k++) throttle.failed('10.0.0.9');
    expect(throttle.blockedFor('10.0.0.9')).toBe(0);
    throttle.failed('10.0.0.9');
    expect(throttle.blockedFor('10.0.0.9')).toBe(FAILED_LOGIN_WINDOW_MS);
    expect(throttle.blockedFor('10.0.0.10')).toBe(0);
    t += FAILED_LOGIN_WINDOW_MS;
    expect(throttle.blockedFor('10.0.0.9')).toBe(0);
  });
});

// Limits are kept per node, in memory: one backend is enough.
describe.each(BACKENDS.filter((b) => b === 'sqlite'))('rate limits (%s)', (backend) => {
  const people = residents(0, 160);
  let rs: RosterSite;
  let display: Listener;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, people);
    display = await rs.site.connect('display');
  });
  afterAll(() => rs?.site.close());

  it(`refuses a burst beyond ${SCAN_BURST} scans, then more than ${SCANS_PER_SECOND} a second, from one kiosk, recording only the accepted ones`, async () => {
    const flooding = await rs.site.connect('kiosk', 'kiosk-stuck');
    const before = await sync(display);
    const replies = await Promise.all(people.slice(0, 150).map((p) => scan(flooding, rs.code(p))));
    const accepted = replies.filter((r) => r.ok);
    const refused = replies.filter((r) => !r.ok).map(failure);
    expect(accepted.length).toBeGreaterThanOrEqual(SCAN_BURST);
    expect(accepted.length).toBeLessThan(150);
    for (const e of refused) {
      expect(e.code).toBe('rate-limited');
      expect(e.message).toMatch(/nothing was recorded/);
    }
    await settled(display);
    const after = await sync(display);
    expect(after.counts.registered - before.counts.registered).toBe(accepted.length);
    expect(after.version - before.version).toBe(accepted.length);

    // Another kiosk is not affected, and the flooding one scans again after a pause.
    const other = await rs.site.connect('kiosk', 'kiosk-2');
    added(await scan(other, rs.code(people[155])));
    await new Promise((r) => setTimeout(r, 1000));
    const refusedPerson = people[replies.findIndex((r) => !r.ok)];
    expect(ok(await scan(flooding, rs.code(refusedPerson))).kind).toBe('added');
  });

  it('refuses every login from an address after 10 wrong PINs, with a clear 429', async () => {
    const login = (role: string, pin: string) => fetch(rs.site.url + API.login, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role, pin }),
    });
    expect((await login('staff', PINS.staff)).status).toBe(200);
    for (let k = 0; k < 10; k++) expect((await login('staff', String(1000 + k))).status).toBe(403);
    // Now even the right PIN waits: a guesser cannot tell a hit from a miss.
    const blocked = await login('staff', PINS.staff);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'rate-limited', message: expect.stringMatching(/too many wrong PINs/),
    });
    // The public display needs no PIN and keeps working.
    expect((await login('display', '0000')).status).toBe(200);
  });
});
