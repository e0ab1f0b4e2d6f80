import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CROWDING } from '../../shared/crowding';
import { CROWDING_PATH } from '../../shared/crowdingApi';
import { BACKENDS } from '../support/backends';
import { newKey } from '../support/testServer';
import { startSiteWithRoster, sync, type RosterSite } from './helpers';
import { ok, refused } from './roundsHttp';

// Staff tighten the crowding words for a small site: every display and phone hears of it at once,
// and a display that connects later gets it in its snapshot.

describe.each(BACKENDS)('crowding thresholds of the points overview (%s)', (backend) => {
  let rs: RosterSite;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, []);
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  it('starts at the published thresholds and carries staff changes to every client', async () => {
    const display = await rs.site.connect('display');
    expect(display.snapshots[0].crowding).toEqual(DEFAULT_CROWDING);

    const req = { key: newKey(), busyMinutes: 15, jammedMinutes: 30 };
    expect(await ok(rs.site, CROWDING_PATH, { json: req })).toEqual({ busyMinutes: 15, jammedMinutes: 30 });
    await expect.poll(() => display.changes.find((c) => c.crowding)?.crowding).toEqual({ busyMinutes: 15, jammedMinutes: 30 });
    // A retried save writes nothing more.
    const changes = display.changes.length;
    expect(await ok(rs.site, CROWDING_PATH, { json: req })).toEqual({ busyMinutes: 15, jammedMinutes: 30 });
    expect((await sync(display)).crowding).toEqual({ busyMinutes: 15, jammedMinutes: 30 });
    expect(display.changes.length).toBe(changes);

    const later = await rs.site.connect('display');
    expect(later.snapshots[0].crowding).toEqual({ busyMinutes: 15, jammedMinutes: 30 });
  });

  it('is for staff only and refuses thresholds out of order', async () => {
    const before = (await sync(await rs.site.connect('display'))).crowding;
    expect(
      (await refused(rs.site, CROWDING_PATH, { role: 'volunteer', json: { key: newKey(), busyMinutes: 5, jammedMinutes: 9 } })).code,
    ).toBe('forbidden');
    expect((await refused(rs.site, CROWDING_PATH, { json: { key: newKey(), busyMinutes: 40, jammedMinutes: 20 } })).code).toBe('invalid');
    const res = await fetch(rs.site.url + CROWDING_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: newKey(), busyMinutes: 5, jammedMinutes: 9 }),
    });
    expect(res.status).toBe(401);
    expect((await sync(await rs.site.connect('display'))).crowding).toEqual(before);
  });
});
