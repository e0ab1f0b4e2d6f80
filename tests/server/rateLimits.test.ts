// A stuck scanner key or a script floods a kiosk's socket; someone guesses PINs at the login or
// resident codes at the own-result check. All are refused with a clear message before they cost the
// database anything, and on two nodes the limits are counted once for both (in Redis).
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API, type ErrorBody } from '../../shared/api';
import { LAB_API } from '../../shared/labApi';
import { OWN_RESULT_PER_MINUTE } from '../../server/lab/labRoutes';
import { memoryLimits, redisLimits } from '../../server/limits/limits';
import { FAILED_LOGIN_WINDOW_MS, LoginThrottle, MAX_FAILED_LOGINS } from '../../server/security/loginThrottle';
import { SCAN_BURST, SCANS_PER_SECOND, scanLimiter } from '../../server/socket/rateLimit';
import { BACKENDS } from '../support/backends';
import { PINS, startSite, type Listener, type TestSite } from '../support/testServer';
import { added, expectVersionsFor, failure, ok, residents, scan, settled, startSiteWithRoster, sync, type RosterSite } from './helpers';

/** Takes `n` actions at once; how many were allowed. */
async function allowed(take: () => Promise<number>, n: number): Promise<number> {
  return (await Promise.all(Array.from({ length: n }, take))).filter((wait) => wait === 0).length;
}

describe('limits counted in this process', () => {
  // rate-limiter-flexible's memory store reads Date.now: the windows pass on a fake clock.
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`lets a kiosk send ${SCAN_BURST} scans at once, then ${SCANS_PER_SECOND} a second, each kiosk on its own`, async () => {
    vi.useFakeTimers({ now: 0 });
    const scans = scanLimiter(memoryLimits());
    expect(await allowed(() => scans.take('kiosk-1'), 150)).toBe(SCAN_BURST);
    expect(await allowed(() => scans.take('kiosk-2'), 1)).toBe(1);
    vi.advanceTimersByTime(1000); // the burst allowance is spent: the rate alone
    expect(await allowed(() => scans.take('kiosk-1'), 50)).toBe(SCANS_PER_SECOND);
    vi.advanceTimersByTime(5000); // the burst allowance is back
    expect(await allowed(() => scans.take('kiosk-1'), 150)).toBe(SCAN_BURST);
  });

  it(`refuses an address after ${MAX_FAILED_LOGINS} wrong PINs for the rest of the window, gives right PINs back, and forgets it after`, async () => {
    vi.useFakeTimers({ now: 0 });
    const logins = new LoginThrottle(memoryLimits());
    // Right PINs from behind one NAT address do not count, however many devices log in.
    for (let k = 0; k < 3 * MAX_FAILED_LOGINS; k++) {
      expect(await logins.attempt('10.0.0.9')).toBe(0);
      await logins.succeeded('10.0.0.9');
    }
    for (let k = 0; k < MAX_FAILED_LOGINS; k++) expect(await logins.attempt('10.0.0.9')).toBe(0);
    expect(await logins.attempt('10.0.0.9')).toBe(FAILED_LOGIN_WINDOW_MS);
    expect(await logins.attempt('10.0.0.10')).toBe(0);
    vi.advanceTimersByTime(FAILED_LOGIN_WINDOW_MS - 1000);
    expect(await logins.attempt('10.0.0.9')).toBe(1000);
    vi.advanceTimersByTime(1000);
    expect(await logins.attempt('10.0.0.9')).toBe(0);
  });

  it('counts in memory while Redis is unreachable, neither refusing everyone nor letting everything through', async () => {
    // A client that is not connected: what each node holds while Redis is down.
    const offline = createClient({ url: 'redis://127.0.0.1:1' });
    const logins = new LoginThrottle(redisLimits(offline, 'natq_test_offline'));
    expect(await allowed(() => logins.attempt('10.0.0.9'), 3 * MAX_FAILED_LOGINS)).toBe(MAX_FAILED_LOGINS);
    expect(await logins.attempt('10.0.0.10')).toBe(0);
  });
});

describe.each(BACKENDS)('limits (%s)', (backend) => {
  const people = residents(0, 160);
  let rs: RosterSite;
  let display: Listener;
  const nodes = () => rs.site.servers.map((_, k) => k);

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, people);
    display = await rs.site.connect('display', undefined, 0);
  });
  afterAll(() => rs?.site.close());

  it(`refuses a burst beyond ${SCAN_BURST} scans from one kiosk, on every node together, recording only the accepted ones`, async () => {
    // The same kiosk device on each node (a kiosk that reconnected elsewhere keeps its budget).
    const flooding = await Promise.all(nodes().map((node) => rs.site.connect('kiosk', 'kiosk-stuck', node)));
    const before = await sync(display);
    const replies = await Promise.all(people.slice(0, 150).map((p, k) => scan(flooding[k % flooding.length], rs.code(p))));
    const accepted = replies.filter((r) => r.ok);
    const refused = replies.filter((r) => !r.ok).map(failure);
    expect(accepted.length).toBeGreaterThanOrEqual(SCAN_BURST);
    expect(accepted.length).toBeLessThan(150);
    for (const e of refused) {
      expect(e.code).toBe('rate-limited');
      expect(e).toMatchObject({ reason: 'scan.too-fast', params: { perSecond: expect.any(Number) } });
      // When to come back: the kiosk's outbox waits that long before it sends the scan again.
      expect(e.retryAfterMs).toBeGreaterThan(0);
    }
    await settled(display);
    const after = await sync(display);
    expect(after.counts.registered - before.counts.registered).toBe(accepted.length);
    expectVersionsFor(after.version - before.version, accepted.length);

    // Another kiosk is not affected, and the flooding one is let through again once its second has passed.
    const other = await rs.site.connect('kiosk', 'kiosk-2');
    added(await scan(other, rs.code(people[155])));
    const refusedPerson = people[replies.findIndex((r) => !r.ok)];
    await vi.waitFor(async () => expect(ok(await scan(flooding[0], rs.code(refusedPerson))).kind).toBe('added'), {
      timeout: 10_000,
      interval: 200,
    });
  });

  it(`answers ${OWN_RESULT_PER_MINUTE} own-result checks a minute from one address, on every node together`, async () => {
    const statuses = await Promise.all(
      Array.from({ length: OWN_RESULT_PER_MINUTE + 10 }, async (_, k) => {
        const res = await fetch(rs.site.servers[k % rs.site.servers.length].url + LAB_API.ownResult, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: `NQ1:AAAAAAAAAA:${String(k).padStart(16, 'A')}` }),
        });
        if (res.status === 429) {
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate-limited');
        }
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 404)).toHaveLength(OWN_RESULT_PER_MINUTE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  describe('login', () => {
    let site: TestSite;
    // Its own site: once the test address is blocked, no one else on this site can log in.
    beforeAll(async () => {
      site = await startSite(backend);
    });
    afterAll(() => site?.close());

    const login = (node: number, role: string, pin: string) =>
      fetch(site.servers[node].url + API.login, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, pin }),
      });

    it(`refuses 300 wrong PINs sent at once from one address after ${MAX_FAILED_LOGINS}, on every node together, with a clear 429`, async () => {
      expect((await login(0, 'staff', PINS.staff)).status).toBe(200);
      const statuses = await Promise.all(
        Array.from({ length: 300 }, async (_, k) => (await login(k % site.servers.length, 'staff', String(100_000 + k))).status),
      );
      expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
      expect(statuses.filter((s) => s !== 403 && s !== 429)).toEqual([]);
      // Now even the right PIN waits, on every node: a guesser cannot tell a hit from a miss.
      for (const node of site.servers.keys()) {
        const blocked = await login(node, 'staff', PINS.staff);
        expect(blocked.status).toBe(429);
        expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await blocked.json()) as ErrorBody).error).toEqual({
          code: 'rate-limited',
          reason: 'auth.pin-locked',
          params: { minutes: expect.any(Number) },
          retryAfterMs: expect.any(Number),
        });
        // The public display needs no PIN and keeps working.
        expect((await login(node, 'display', '0000')).status).toBe(200);
      }
    });
  });
});
