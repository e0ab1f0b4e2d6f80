// The home-visit list is kept as the roster and rounds change, so tablets read it without taking the
// write lock a kiosk scan needs (#12.9): a roster import adds, re-reasons and drops tag-derived
// visits; a new round starts from the tags; reading the list or looking up a code writes nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { visitReasonFor } from '../../shared/homeVisits';
import { ROUNDS_API, type HomeVisit } from '../../shared/roundsApi';
import type { Tag } from '../../shared/tags';
import { BACKENDS } from '../support/backends';
import { newKey } from '../support/testServer';
import { ok as okReply, resident, scan, startSiteWithRoster, type RosterSite } from './helpers';
import { createTeam, ok } from './roundsHttp';

const combos: Tag[][] = [
  ['sealed', 'infant'],
  ['bedridden', 'immobile'],
  ['immobile', 'infant'],
  ['infant'],
  ['elderly'],
  [],
  ['quarantine', 'bedridden'],
];
const tagged = combos.map((tags, i) => resident(i, tags, { building: '2', room: String(101 + i) }));
/** The people a roster re-import changes; the re-import story and the new-round story have their own. */
const changesFrom = (i: number) => ({
  changing: resident(i, ['bedridden']),
  recovering: resident(i + 1, ['infant']),
  sampledThenUntagged: resident(i + 2, ['bedridden']),
  placedThenTagged: resident(i + 3),
  askedFor: resident(i + 4),
  /** Not on the first roster: the re-import brings them. */
  newcomer: resident(i + 5, ['immobile']),
});
type Changes = ReturnType<typeof changesFrom>;
const [reimported, nextRound] = [changesFrom(20), changesFrom(30)];
const onFirstRoster = (c: Changes) => [c.changing, c.recovering, c.sampledThenUntagged, c.placedThenTagged, c.askedFor];

describe.each(BACKENDS)('the home-visit list kept with the roster (%s)', (backend) => {
  let rs: RosterSite;
  const list = () => ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
  const reasons = (visits: HomeVisit[]) => Object.fromEntries(visits.map((v) => [v.name, v.reason]));

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, [...tagged, ...onFirstRoster(reimported), ...onFirstRoster(nextRound)]);
  });
  afterAll(async () => {
    await rs?.site.close();
  });
  /** One person sampled at home, one added by staff, one placed at a point, then the roster re-imported with new tags. */
  async function reimport(c: Changes, tubeCode: string): Promise<void> {
    expect(reasons(await list())).toMatchObject({ [c.changing.name]: 'bedridden', [c.recovering.name]: 'infant' });
    await ok(rs.site, ROUNDS_API.homeVisitsSample, {
      json: { key: newKey(), kind: 'single', tubeCode, inputs: [rs.code(c.sampledThenUntagged)] },
    });
    await ok(rs.site, ROUNDS_API.homeVisitsAdd, { json: { residents: [rs.code(c.askedFor)] } });
    const kiosk = await rs.site.connect('kiosk');
    okReply(await scan(kiosk, rs.code(c.placedThenTagged)));
    const report = await rs.site.importRoster(
      rosterCsv([
        { ...c.changing, tags: ['infant'] },
        { ...c.recovering, tags: [] },
        { ...c.sampledThenUntagged, tags: [] },
        { ...c.placedThenTagged, tags: ['bedridden'] },
        c.newcomer,
      ]),
    );
    expect(report.status).toBe(200);
  }

  it('lists the imported tagged residents with the reason their tags give', async () => {
    const byName = reasons(await list());
    for (const r of tagged) expect(byName[r.name] ?? null).toBe(visitReasonFor(r.tags));
  });

  it('reads the list and looks codes up without a write transaction', async () => {
    const team = await createTeam(rs.site, '一队');
    const { store } = rs.site.server;
    const writes = [vi.spyOn(store, 'write'), vi.spyOn(store, 'writeGrouped')];
    try {
      await list();
      await ok(rs.site, ROUNDS_API.homeVisits, { team });
      expect(await ok<HomeVisit>(rs.site, ROUNDS_API.homeVisitsLookup, { json: { input: rs.code(reimported.changing) } })).toMatchObject({
        name: reimported.changing.name,
      });
      for (const w of writes) expect(w).not.toHaveBeenCalled();
    } finally {
      for (const w of writes) w.mockRestore();
    }
  });

  it('follows a re-imported roster: a new reason, off the list, a newly tagged resident on it; sampled and staff visits stay', async () => {
    const { changing, recovering, sampledThenUntagged, placedThenTagged, askedFor, newcomer } = reimported;
    await reimport(reimported, 'VL0000001');

    const visits = await list();
    const byName = reasons(visits);
    expect(byName[changing.name]).toBe('infant');
    expect(byName).not.toHaveProperty(recovering.name);
    expect(visits.find((v) => v.name === sampledThenUntagged.name)).toMatchObject({ status: 'done', tubeCode: 'VL0000001' });
    // Placed at a point before the tag came: no visit needed.
    expect(byName).not.toHaveProperty(placedThenTagged.name);
    expect(byName[newcomer.name]).toBe('immobile');
    expect(byName[askedFor.name]).toBe('staff');
  });

  it('starts a new round with the list the tags give, everyone pending again', async () => {
    const { changing, sampledThenUntagged, placedThenTagged, askedFor } = nextRound;
    await reimport(nextRound, 'VL0000002');
    await ok(rs.site, ROUNDS_API.rounds, {
      json: { key: newKey(), name: '第二轮', date: '2026-12-02', points: [{ code: 'A', name: 'A', poolSize: 10 }] },
    });
    const visits = await list();
    expect(visits.every((v) => v.status === 'pending' && v.team === null && v.tubeCode === null)).toBe(true);
    const byName = reasons(visits);
    expect(byName[placedThenTagged.name]).toBe('bedridden');
    expect(byName[changing.name]).toBe('infant');
    expect(byName).not.toHaveProperty(sampledThenUntagged.name);
    expect(byName).not.toHaveProperty(askedFor.name);
    for (const r of tagged) expect(byName[r.name] ?? null).toBe(visitReasonFor(r.tags));
  });
});
