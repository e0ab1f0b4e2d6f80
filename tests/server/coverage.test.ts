import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCommunity } from '../../server/demo/community';
import { rosterCsv } from '../../server/demo/rosterCsv';
import type { Actor } from '../../shared/roles';
import type { CoverageCounts } from '../../shared/coverage';
import { householdKey } from '../../shared/household';
import type { ScanOutcome } from '../../shared/protocol';
import { ROUNDS_API, type CoverageReport, type HomeSampleResult, type HomeVisit, type HouseholdCoverage } from '../../shared/roundsApi';
import type { RosterEntry } from '../../shared/roster';
import { BACKENDS } from '../support/backends';
import { newKey, startSite, type TestSite } from '../support/testServer';

// A round in a community of 2,000: a tenth of the people come to point A, most of their tubes are
// sealed, two sealed-building households are sampled at home; the staff coverage page must agree
// person by person with what was recorded.

const TODAY = new Date(Date.UTC(2025, 5, 15));
const STAFF: Actor = { role: 'staff', device: 'coverage-test' };

async function http<T>(
  site: TestSite,
  path: string,
  init: { method?: string; json?: unknown; role?: 'staff' | 'volunteer' } = {},
): Promise<T> {
  const res = await fetch(site.url + path, {
    method: init.method ?? (init.json ? 'POST' : 'GET'),
    headers: {
      authorization: `Bearer ${await site.token(init.role ?? 'staff')}`,
      ...(init.json ? { 'content-type': 'application/json' } : {}),
    },
    body: init.json ? JSON.stringify(init.json) : undefined,
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body as T;
}

const householdOf = (e: RosterEntry) => householdKey(e);

/** The expected counts, worked out from the roster and the set of people recorded. */
function expected(entries: RosterEntry[], sampled: Set<string>, registered: Set<string>): CoverageCounts {
  const households = new Map<string, { size: number; done: number }>();
  let s = 0;
  let r = 0;
  for (const e of entries) {
    const h = households.get(householdOf(e)) ?? { size: 0, done: 0 };
    h.size++;
    if (sampled.has(e.idNumber)) {
      s++;
      h.done++;
    } else if (registered.has(e.idNumber)) r++;
    households.set(householdOf(e), h);
  }
  const hs = [...households.values()];
  return {
    due: entries.length,
    sampled: s,
    registered: r,
    notYet: entries.length - s - r,
    households: hs.length,
    householdsDone: hs.filter((h) => h.done === h.size).length,
    householdsPartial: hs.filter((h) => h.done > 0 && h.done < h.size).length,
  };
}

describe.each(BACKENDS)('coverage of a 2,000-resident round (%s)', (backend) => {
  const entries = generateCommunity({ seed: 5, residents: 2000, buildings: 8, today: TODAY });
  const sealedBuilding = '8';
  let site: TestSite;
  const sampled = new Set<string>();
  const registered = new Set<string>();

  beforeAll(async () => {
    site = await startSite(backend);
    const { status } = await site.importRoster(rosterCsv(entries));
    expect(status).toBe(200);
    const queue = site.server.queue;

    // Every tenth resident outside the sealed building comes to point A (ID number typed in).
    const comers = entries.filter((e, i) => i % 10 === 0 && e.building !== sealedBuilding);
    const groupOf = new Map<number, string[]>();
    for (const e of comers) {
      const outcome: ScanOutcome = await queue.scan(STAFF, { key: newKey(), point: 'A', input: e.idNumber });
      if (outcome.kind !== 'added' && !(outcome.kind === 'routed' && outcome.route === 'single-tube')) {
        throw new Error(`unexpected outcome ${outcome.kind}`);
      }
      groupOf.set(outcome.group.id, [...(groupOf.get(outcome.group.id) ?? []), e.idNumber]);
    }
    // All tubes are sealed but the last three groups', whose people stay registered.
    const ids = [...groupOf.keys()].sort((a, b) => a - b);
    for (const [n, id] of ids.entries()) {
      const people = groupOf.get(id)!;
      if (n >= ids.length - 3) {
        people.forEach((p) => registered.add(p));
        continue;
      }
      const group = (await site.server.store.read((tx) => tx.queue().lockGroup(id)))!;
      if (group.state === 'forming') await queue.groupAction(STAFF, { key: newKey(), groupId: id, action: 'close' });
      await queue.groupAction(STAFF, { key: newKey(), groupId: id, action: 'start', tubeCode: `T${String(id).padStart(7, '0')}` });
      await queue.groupAction(STAFF, { key: newKey(), groupId: id, action: 'seal' });
      people.forEach((p) => sampled.add(p));
    }

    // Two sealed households sampled at the door, one tube each (all but one member of the second).
    const sealed = new Map<string, RosterEntry[]>();
    for (const e of entries.filter((x) => x.building === sealedBuilding))
      sealed.set(householdOf(e), [...(sealed.get(householdOf(e)) ?? []), e]);
    const [first, second] = [...sealed.values()].filter((h) => h.length >= 2);
    for (const [tube, people] of [
      ['HOME-T-0001', first],
      ['HOME-T-0002', second.slice(1)],
    ] as const) {
      const result = await http<HomeSampleResult>(site, ROUNDS_API.homeVisitsSample, {
        json: { key: newKey(), kind: 'household', tubeCode: tube, inputs: people.map((p) => p.idNumber) },
      });
      expect(result.visitIds).toHaveLength(people.length);
      people.forEach((p) => sampled.add(p.idNumber));
    }
  }, 120_000);

  afterAll(async () => {
    await site?.close();
  });

  it('counts every building, unit and household as recorded', async () => {
    const report = await http<CoverageReport>(site, ROUNDS_API.coverage);
    expect(report.coverage.total).toEqual(expected(entries, sampled, registered));
    expect(report.coverage.total.sampled).toBeGreaterThan(150);
    expect(report.coverage.total.householdsPartial).toBeGreaterThan(0);
    expect(report.coverage.buildings.map((b) => b.building)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    for (const b of report.coverage.buildings) {
      const inBuilding = entries.filter((e) => e.building === b.building);
      const { units, building: _b, ...counts } = b;
      expect(counts, `building ${b.building}`).toEqual(expected(inBuilding, sampled, registered));
      for (const u of units) {
        const { unit: _u, ...unitCounts } = u;
        expect(unitCounts, `building ${b.building} unit ${u.unit}`).toEqual(
          expected(
            inBuilding.filter((e) => e.unit === u.unit),
            sampled,
            registered,
          ),
        );
      }
    }
    // The chart's line ends at the number sampled; the queue's own counter agrees.
    expect(report.timeline.at(-1)?.cumulative).toBe(sampled.size);
    expect((await site.server.queue.snapshot()).counts.sampled).toBe(sampled.size);
  });

  it('drills down to the names and rooms of a household with members missing', async () => {
    const households = await http<HouseholdCoverage[]>(site, `${ROUNDS_API.coverageBuilding}?building=${sealedBuilding}`);
    const partial = households.filter(
      (h) => h.members.some((m) => m.status === 'sampled') && h.members.some((m) => m.status !== 'sampled'),
    );
    expect(partial).toHaveLength(1);
    const missing = partial[0].members.filter((m) => m.status !== 'sampled');
    const roster = entries.filter((e) => householdOf(e) === partial[0].household);
    expect(missing.map((m) => m.name)).toEqual([roster[0].name]);
    // Still on the visit list, waiting for the team.
    expect(missing[0].homeVisit).toBe('pending');
    expect(partial[0].room).toBe(roster[0].room);
  });

  it('keeps names away from anyone but staff', async () => {
    const res = await fetch(`${site.url}${ROUNDS_API.coverageBuilding}?building=1`, {
      headers: { authorization: `Bearer ${await site.token('volunteer')}` },
    });
    expect(res.status).toBe(403);
    expect((await fetch(`${site.url}${ROUNDS_API.coverage}`)).status).toBe(401);
  });

  it('shows the home-visit list of the sealed building with the sampled households done, and every visit sampled anywhere done', async () => {
    const visits = await http<HomeVisit[]>(site, ROUNDS_API.homeVisits);
    const inSealed = entries.filter((e) => e.building === sealedBuilding);
    expect(visits.filter((v) => v.building === sealedBuilding)).toHaveLength(inSealed.length);
    const sealedVisits = visits.filter((v) => v.building === sealedBuilding);
    expect(sealedVisits.filter((v) => v.status === 'done')).toHaveLength(
      [...sampled].filter((id) => inSealed.some((e) => e.idNumber === id)).length,
    );
    // A tagged resident who came to a kiosk after all is done on the list too: no team goes to that door.
    const idOf = new Map(entries.map((e) => [`${householdKey(e)} ${e.name}`, e.idNumber]));
    for (const v of visits) expect(v.status === 'done', v.name).toBe(sampled.has(idOf.get(`${v.household} ${v.name}`)!));
  });
});
