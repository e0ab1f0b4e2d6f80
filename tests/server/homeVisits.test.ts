import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { TEAM_LINK_DAYS, TeamAccess } from '../../server/homeVisits/teamAccess';
import { HOME_TEAMS_API, type HomeTeam, type TeamSession } from '../../shared/homeTeams';
import { idCheckChar } from '../../shared/idNumber';
import { ROUNDS_API, type CoverageReport, type HomeSampleResult, type HomeVisit } from '../../shared/roundsApi';
import type { RosterEntry } from '../../shared/roster';
import { BACKENDS } from '../support/backends';
import { newKey } from '../support/testServer';
import { ok as okReply, resident, scan, startSiteWithRoster, type RosterSite } from './helpers';
import { call, createTeam, ok, refused } from './roundsHttp';

// A home-sampling team's morning: staff see who must be visited (bedridden, infants, a sealed
// household), add a family that asked, create team 一队 and hand it its visits and its link; the
// team's tablet, signed in by that link, scans codes at the door, samples one person alone and one
// household in one tube, finds one flat empty. It learns nothing about anyone not on its list.
// Each story has people of its own (and gives its visits to a team itself), so any may run first.

const bedridden = resident(0, ['bedridden']);
const infant = resident(1, ['infant']);
/** Listed only: nobody visits them. */
const sealed = [2, 3, 4].map((i) => resident(i, ['sealed'], { building: '9', unit: '1', room: '301' }));
const asked = resident(5);
const neighbour = resident(6, [], { room: resident(5).room });
const walker = resident(7);
const away = resident(8, ['immobile'], { room: '901' });
/** The sealed household team 一队 samples in one tube: the only one in building 8. */
const sealedSampled = [10, 11, 12].map((i) => resident(i, ['sealed'], { building: '8', unit: '1', room: '201' }));
/** A team of their own, and another team's infant. */
const teamStory = [resident(13, ['bedridden']), resident(14, ['immobile'])];
const otherTeamsInfant = resident(15, ['infant']);
/** Sampled at home before the refusals, the "not home" refusal and the kiosk's scan. */
const sampledFirst = resident(16, ['bedridden']);
const sampledToo = resident(17, ['bedridden']);
const sampledForKiosk = resident(18, ['bedridden']);
/** Not home at the first try, sampled at the second. */
const awayToo = resident(19, ['immobile'], { room: '902' });
/** Added by staff, then sampled. */
const askedToo = resident(9);
const ROSTER = [
  bedridden,
  infant,
  ...sealed,
  asked,
  neighbour,
  walker,
  away,
  ...sealedSampled,
  ...teamStory,
  otherTeamsInfant,
  sampledFirst,
  sampledToo,
  sampledForKiosk,
  awayToo,
  askedToo,
];

describe.each(BACKENDS)('home visits (%s)', (backend) => {
  let rs: RosterSite;
  /** Team 一队's link, as its tablet holds it. */
  let teamOne: string;
  const visitOf = (list: HomeVisit[], name: string) => list.find((v) => v.name === name)!;
  /** Staff give these people's visits to a team. */
  async function assign(team: string, people: RosterEntry[]): Promise<void> {
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    const visitIds = people.map((p) => visitOf(list, p.name).id);
    expect(await ok(rs.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds, team } })).toEqual({ assigned: visitIds.length });
  }
  /** Team 一队 samples one person on its list alone: the tube's label. */
  async function sampleAlone(p: RosterEntry, tubeCode: string): Promise<string> {
    const json = { key: newKey(), kind: 'single', tubeCode, inputs: [rs.code(p)] };
    return (await ok<HomeSampleResult>(rs.site, ROUNDS_API.homeVisitsSample, { team: teamOne, json })).label;
  }

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, ROSTER);
    teamOne = await createTeam(rs.site, '一队');
    await createTeam(rs.site, '二队');
    // The visits the stories below need on a team's list (the team story gives its own).
    await assign('一队', [bedridden, ...sealedSampled, sampledFirst, sampledToo, sampledForKiosk, away, awayToo]);
    await assign('二队', [infant]);
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  it('lists the tagged people and the sealed household by building and floor', async () => {
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    // Staff may have added people by now; every tagged person is listed for their tag, and nobody else.
    expect(
      list
        .filter((v) => v.reason !== 'staff')
        .map((v) => [v.name, v.reason])
        .sort(),
    ).toEqual(
      ROSTER.filter((p) => p.tags.length > 0)
        .map((p) => [p.name, p.tags[0]])
        .sort(),
    );
    expect(visitOf(list, sealed[0].name)).toMatchObject({ building: '9', floor: '3', household: '9-1-301', status: 'pending', team: null });
    expect(visitOf(list, away.name).floor).toBe('9');
  });

  it('adds a household staff name, and refuses one that does not exist', async () => {
    const added = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisitsAdd, { json: { households: [`1-1-${asked.room}`] } });
    expect(added.map((v) => v.name).sort()).toEqual([asked.name, neighbour.name].sort()); // both live in that flat
    expect(added.every((v) => v.reason === 'staff')).toBe(true);
    const err = await refused(rs.site, ROUNDS_API.homeVisitsAdd, { json: { households: ['1-1-9999'] } });
    expect(err).toMatchObject({ status: 404, code: 'not-found' });
  });

  it("gives visits to a team, whose tablet, signed in by the team's link, sees only its own list", async () => {
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    const ids = teamStory.map((p) => visitOf(list, p.name).id);
    // Visits go to a team that exists (its tablet can sign in), never to a name typed wrong.
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: ids, team: '甲队' } })).toMatchObject({
      code: 'not-found',
    });
    const one = await createTeam(rs.site, '甲队');
    const two = await createTeam(rs.site, '乙队');
    expect(await refused(rs.site, HOME_TEAMS_API.teams, { json: { name: '甲队' } })).toMatchObject({ code: 'conflict' });
    expect(await ok(rs.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: ids, team: '甲队' } })).toEqual({ assigned: ids.length });
    await ok(rs.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: [visitOf(list, otherTeamsInfant.name).id], team: '乙队' } });

    expect(await ok<TeamSession>(rs.site, HOME_TEAMS_API.me, { team: one })).toEqual({ team: '甲队' });
    const mine = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits, { team: one });
    expect(mine.map((v) => v.id).sort()).toEqual(ids.sort());
    // Naming another team changes nothing: a link gives its own team's list only.
    expect(await ok<HomeVisit[]>(rs.site, `${ROUNDS_API.homeVisits}?team=${encodeURIComponent('乙队')}`, { team: one })).toEqual(mine);
    expect((await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits, { team: two })).map((v) => v.name)).toEqual([otherTeamsInfant.name]);
    // Staff see every list, or one team's; a team link is no staff token.
    expect(await ok<HomeVisit[]>(rs.site, `${ROUNDS_API.homeVisits}?team=${encodeURIComponent('甲队')}`)).toEqual(mine);
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAssign, { team: one, json: { visitIds: ids, team: '乙队' } })).toMatchObject({
      code: 'unauthorized',
    });
    expect(await refused(rs.site, HOME_TEAMS_API.teams, { team: one })).toMatchObject({ code: 'unauthorized' });
  });

  it("gives the shared volunteer PIN no team's list, no lookup and no sample", async () => {
    const asVolunteer = { role: 'volunteer' as const };
    for (const path of [ROUNDS_API.homeVisits, `${ROUNDS_API.homeVisits}?team=${encodeURIComponent('一队')}`, HOME_TEAMS_API.me]) {
      expect(await refused(rs.site, path, asVolunteer), path).toMatchObject({
        status: 403,
        code: 'forbidden',
        reason: 'team.pin-not-link',
      });
    }
    expect(await refused(rs.site, ROUNDS_API.homeVisitsLookup, { ...asVolunteer, json: { input: rs.code(bedridden) } })).toMatchObject({
      code: 'forbidden',
    });
    expect(
      await refused(rs.site, ROUNDS_API.homeVisitsSample, {
        ...asVolunteer,
        json: { key: newKey(), kind: 'single', tubeCode: 'HV0000099', inputs: [rs.code(bedridden)] },
      }),
    ).toMatchObject({ code: 'forbidden' });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsNotHome, { ...asVolunteer, json: { visitIds: [1] } })).toMatchObject({
      code: 'forbidden',
    });
    expect(await refused(rs.site, ROUNDS_API.homeVisits, { team: 'team.1.1.9999999999.forged' })).toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
  });

  it("answers a lookup for anyone not on the team's list exactly as for a made-up ID number: no name, no hint", async () => {
    // A valid ID number nobody on the roster has.
    const first17 = '11010519491231002';
    const madeUp = first17 + idCheckChar(first17);
    const sampledBefore = (await ok<CoverageReport>(rs.site, ROUNDS_API.coverage)).coverage.total.sampled;
    const answers = [];
    // Someone on another team's list (code and ID number), someone on the roster with no visit, nobody.
    for (const input of [rs.code(infant), infant.idNumber, walker.idNumber, rs.code(walker), madeUp]) {
      answers.push(await call(rs.site, ROUNDS_API.homeVisitsLookup, { team: teamOne, json: { input } }));
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 404, body: { error: { code: 'not-found', reason: 'visit.not-on-team-list', params: {} } } });
    // Sampling them tells no more (a code scanned twice included), and writes nothing.
    for (const inputs of [[rs.code(infant)], [walker.idNumber, walker.idNumber], [madeUp]]) {
      const r = await call(rs.site, ROUNDS_API.homeVisitsSample, {
        team: teamOne,
        json: { key: newKey(), kind: 'household', tubeCode: 'HV0000098', inputs },
      });
      expect(r).toEqual(answers[0]);
    }
    // Nor does another team's visit, asked for by its number.
    const infantVisit = visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), infant.name);
    const notHome = await refused(rs.site, ROUNDS_API.homeVisitsNotHome, { team: teamOne, json: { visitIds: [infantVisit.id] } });
    expect(notHome).toMatchObject({ code: 'not-found' });
    for (const text of [...answers.map((a) => JSON.stringify(a)), JSON.stringify(notHome)]) {
      for (const p of [infant, walker]) expect(text).not.toContain(p.name);
    }
    expect((await ok<CoverageReport>(rs.site, ROUNDS_API.coverage)).coverage.total.sampled).toBe(sampledBefore);
    expect(visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), infant.name).status).toBe('pending');
  });

  it('samples a bedridden resident alone and a sealed household in one tube; coverage counts them at once', async () => {
    const before = (await ok<CoverageReport>(rs.site, ROUNDS_API.coverage)).coverage.total;
    const display = await rs.site.connect('display');
    const { version, counts } = display.snapshots[0];
    const at = await ok<HomeVisit>(rs.site, ROUNDS_API.homeVisitsLookup, { team: teamOne, json: { input: rs.code(bedridden) } });
    expect(at).toMatchObject({ name: bedridden.name, status: 'pending' });

    const key = newKey();
    const single = { key, kind: 'single', tubeCode: 'HV0000001', inputs: [rs.code(bedridden)] };
    const first = await ok<HomeSampleResult>(rs.site, ROUNDS_API.homeVisitsSample, { team: teamOne, json: single });
    expect(first).toMatchObject({ tubeCode: 'HV0000001', label: expect.stringMatching(/^HOME-\d{3}$/), visitIds: [at.id] });
    const nextLabel = `HOME-${String(Number(first.label.slice(5)) + 1).padStart(3, '0')}`;
    // A retry after a lost reply gets the same answer and samples nobody twice.
    expect(await ok(rs.site, ROUNDS_API.homeVisitsSample, { team: teamOne, json: single })).toEqual(first);

    const household = await ok<HomeSampleResult>(rs.site, ROUNDS_API.homeVisitsSample, {
      team: teamOne,
      json: { key: newKey(), kind: 'household', tubeCode: 'hv0000002', inputs: sealedSampled.map((s) => rs.code(s)) },
    });
    expect(household).toMatchObject({ tubeCode: 'HV0000002', label: nextLabel });

    const coverage = await ok<CoverageReport>(rs.site, ROUNDS_API.coverage);
    expect(coverage.coverage.total).toMatchObject({ due: before.due, sampled: before.sampled + 4 });
    expect(coverage.coverage.buildings.find((b) => b.building === '8')).toMatchObject({ due: 3, sampled: 3, householdsDone: 1 });
    // The hall counts move too, but no home tube is shown on the display.
    await display.untilVersion(version + 2);
    expect(display.changes.at(-1)?.counts.sampled).toBe(counts.sampled + 4);
    expect(display.changes.flatMap((c) => c.groups)).toEqual([]);
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(visitOf(list, sealedSampled[1].name)).toMatchObject({ status: 'done', tubeCode: 'HV0000002' });
  });

  it('refuses a used tube, a person sampled already, two households in one tube and someone not on the list', async () => {
    await sampleAlone(sampledFirst, 'HV0000005');
    const sampledBefore = (await ok<CoverageReport>(rs.site, ROUNDS_API.coverage)).coverage.total.sampled;
    const tube = await refused(rs.site, ROUNDS_API.homeVisitsSample, {
      json: { key: newKey(), kind: 'single', tubeCode: 'HV0000005', inputs: [rs.code(infant)] },
    });
    expect(tube).toMatchObject({ code: 'conflict', reason: 'tube.used', params: { tube: 'HV0000005' } });
    const again = await refused(rs.site, ROUNDS_API.homeVisitsSample, {
      team: teamOne,
      json: { key: newKey(), kind: 'single', tubeCode: 'HV0000009', inputs: [rs.code(sampledFirst)] },
    });
    expect(again).toMatchObject({ code: 'conflict', reason: 'home.already-placed' });
    const mixed = await refused(rs.site, ROUNDS_API.homeVisitsSample, {
      json: { key: newKey(), kind: 'household', tubeCode: 'HV0000009', inputs: [rs.code(infant), rs.code(sealed[0])] },
    });
    expect(mixed).toMatchObject({ code: 'invalid', reason: 'home.one-household' });
    const stranger = await refused(rs.site, ROUNDS_API.homeVisitsSample, {
      json: { key: newKey(), kind: 'single', tubeCode: 'HV0000009', inputs: [rs.code(walker)] },
    });
    expect(stranger).toMatchObject({ code: 'conflict', reason: 'home.not-on-list' });
    const forged = await refused(rs.site, ROUNDS_API.homeVisitsLookup, {
      team: teamOne,
      json: { input: rs.code(walker).slice(0, -2) + 'AA' },
    });
    expect(forged.code).toBe('invalid');
    // Nothing of the refused requests was written.
    expect((await ok<CoverageReport>(rs.site, ROUNDS_API.coverage)).coverage.total.sampled).toBe(sampledBefore);
  });

  it('marks a flat nobody answered as not home, never one already sampled', async () => {
    await sampleAlone(sampledToo, 'HV0000006');
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(await ok(rs.site, ROUNDS_API.homeVisitsNotHome, { team: teamOne, json: { visitIds: [visitOf(list, away.name).id] } })).toEqual({
      marked: 1,
    });
    expect(visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), away.name).status).toBe('not-home');
    const done = await refused(rs.site, ROUNDS_API.homeVisitsNotHome, {
      team: teamOne,
      json: { visitIds: [visitOf(list, sampledToo.name).id] },
    });
    expect(done.code).toBe('conflict');
  });

  it('adds a single resident staff picked, and takes staff additions off again but never a tagged visit', async () => {
    const [one] = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisitsAdd, { json: { residents: [rs.code(walker)] } });
    expect(one).toMatchObject({ name: walker.name, reason: 'staff', status: 'pending' });
    // Bad input is refused whole: nothing named, a forged code, a volunteer.
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAdd, { json: {} })).toMatchObject({ status: 400, code: 'invalid' });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAdd, { json: { residents: [rs.code(walker).slice(0, -2) + 'AA'] } })).toMatchObject({
      code: 'invalid',
    });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsAdd, { role: 'volunteer', json: { residents: [rs.code(walker)] } })).toMatchObject({
      code: 'forbidden',
    });

    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    const tagged = await refused(rs.site, ROUNDS_API.homeVisitsRemove, { json: { visitIds: [one.id, visitOf(list, infant.name).id] } });
    expect(tagged).toMatchObject({ code: 'conflict', reason: 'visit.by-tags' });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRemove, { role: 'volunteer', json: { visitIds: [one.id] } })).toMatchObject({
      code: 'forbidden',
    });
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRemove, { json: { visitIds: [999999] } })).toMatchObject({ code: 'not-found' });
    expect(await ok(rs.site, ROUNDS_API.homeVisitsRemove, { json: { visitIds: [one.id] } })).toEqual({ removed: 1 });
    const after = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(after.map((v) => v.name)).not.toContain(walker.name);
    expect(after).toHaveLength(list.length - 1);
  });

  it('puts a "not home" flat back on the list, and the team samples it on the second try', async () => {
    const first = visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), awayToo.name);
    expect(await ok(rs.site, ROUNDS_API.homeVisitsNotHome, { team: teamOne, json: { visitIds: [first.id] } })).toEqual({ marked: 1 });
    const visit = visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), awayToo.name);
    expect(visit.status).toBe('not-home');
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRequeue, { role: 'volunteer', json: { visitIds: [visit.id] } })).toMatchObject({
      code: 'forbidden',
    });
    expect(await ok(rs.site, ROUNDS_API.homeVisitsRequeue, { json: { visitIds: [visit.id] } })).toEqual({ requeued: 1 });
    expect(visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), awayToo.name).status).toBe('pending');
    // Only a "not home" visit goes back.
    expect(await refused(rs.site, ROUNDS_API.homeVisitsRequeue, { json: { visitIds: [visit.id] } })).toMatchObject({ code: 'conflict' });

    await ok(rs.site, ROUNDS_API.homeVisitsSample, {
      team: teamOne,
      json: { key: newKey(), kind: 'single', tubeCode: 'HV0000003', inputs: [rs.code(awayToo)] },
    });
    expect(visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), awayToo.name)).toMatchObject({
      status: 'done',
      tubeCode: 'HV0000003',
    });
  });

  it('never takes a sampled visit off the list, even one staff added', async () => {
    await ok(rs.site, ROUNDS_API.homeVisitsAdd, { json: { residents: [rs.code(askedToo)] } });
    await assign('一队', [askedToo]);
    await sampleAlone(askedToo, 'HV0000004');
    const visit = visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), askedToo.name);
    expect(visit).toMatchObject({ reason: 'staff', status: 'done' });
    const done = await refused(rs.site, ROUNDS_API.homeVisitsRemove, { json: { visitIds: [visit.id] } });
    expect(done).toMatchObject({ code: 'conflict', reason: 'visit.already-sampled' });
  });

  it("reissues a team's link: the old one stops working at once, the new one works; both audited", async () => {
    const old = await createTeam(rs.site, '三队');
    expect(await ok<TeamSession>(rs.site, HOME_TEAMS_API.me, { team: old })).toEqual({ team: '三队' });
    const teams = await ok<HomeTeam[]>(rs.site, HOME_TEAMS_API.teams);
    expect(teams.map((t) => t.name)).toEqual(expect.arrayContaining(['一队', '二队', '三队']));
    const fresh = await ok<HomeTeam>(rs.site, HOME_TEAMS_API.reissue, { json: { name: '三队' } });
    expect(fresh.credential).not.toBe(old);
    for (const path of [HOME_TEAMS_API.me, ROUNDS_API.homeVisits]) {
      expect(await refused(rs.site, path, { team: old })).toMatchObject({ status: 401, code: 'unauthorized', reason: 'team.link-invalid' });
    }
    expect(await refused(rs.site, ROUNDS_API.homeVisitsLookup, { team: old, json: { input: rs.code(bedridden) } })).toMatchObject({
      code: 'unauthorized',
    });
    // Every node refuses it at once (two nodes on the scale-out backend).
    for (const node of rs.site.servers) {
      expect((await fetch(node.url + HOME_TEAMS_API.me, { headers: { authorization: `Bearer ${old}` } })).status).toBe(401);
    }
    expect(await ok<TeamSession>(rs.site, HOME_TEAMS_API.me, { team: fresh.credential })).toEqual({ team: '三队' });
    // The list staff see hands out links of the current generation only; other teams' links are untouched.
    const listed = (await ok<HomeTeam[]>(rs.site, HOME_TEAMS_API.teams)).find((t) => t.name === '三队')!;
    expect(await ok<TeamSession>(rs.site, HOME_TEAMS_API.me, { team: listed.credential })).toEqual({ team: '三队' });
    expect(await ok<TeamSession>(rs.site, HOME_TEAMS_API.me, { team: teamOne })).toEqual({ team: '一队' });
    expect(await refused(rs.site, HOME_TEAMS_API.reissue, { json: { name: '四队' } })).toMatchObject({ code: 'not-found' });
    expect(await refused(rs.site, HOME_TEAMS_API.reissue, { role: 'volunteer', json: { name: '三队' } })).toMatchObject({
      code: 'forbidden',
    });

    const audit = await rs.site.server.store['conn'].db
      .selectFrom('audit')
      .selectAll()
      .where('subject', '=', '三队')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.role, a.action])).toEqual([
      ['staff', 'team:create'],
      ['staff', 'team:reissue'],
    ]);
  });

  it('refuses a link past its days, a forged one, and one signed under another secret', async () => {
    const row = (await rs.site.server.store.read((tx) => tx.teams().byName('一队')))!;
    const access = new TeamAccess(crypto.randomBytes(32), rs.site.server.store);
    const issued = access.issue(row);
    expect(await access.verify(issued)).toBe('一队');
    expect(await access.verify(issued, Date.now() + (TEAM_LINK_DAYS + 1) * 86400_000)).toBeNull();
    expect(await access.verify(issued.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBeNull();
    expect(await access.verify(issued.replace(`team.${row.id}.`, `team.${row.id + 1}.`))).toBeNull();
    // The site signs with its own secret: a link made under another is refused.
    expect(await refused(rs.site, HOME_TEAMS_API.me, { team: issued })).toMatchObject({ code: 'unauthorized' });
  });

  it('tells the kiosk a home-sampled resident is already sampled', async () => {
    const label = await sampleAlone(sampledForKiosk, 'HV0000007');
    const kiosk = await rs.site.connect('kiosk');
    const outcome = okReply(await scan(kiosk, rs.code(sampledForKiosk)));
    expect(outcome).toMatchObject({ kind: 'duplicate', previous: { point: 'HOME', groupLabel: label } });
    // The home point is never offered to kiosks.
    expect(kiosk.snapshots[0].points.map((p) => p.code)).toEqual(['A']);
  });
});
