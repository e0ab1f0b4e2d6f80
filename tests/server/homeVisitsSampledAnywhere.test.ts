import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUNDS_API, type HomeVisit, type HouseholdCoverage } from '../../shared/roundsApi';
import { BACKENDS } from '../support/backends';
import { callNext, groupAction, ok as okReply, resident, scan, startSiteWithRoster, type RosterSite } from './helpers';
import { createTeam, ok } from './roundsHttp';

// Sampled anywhere is done everywhere: an immobile resident whose son wheeled them to the kiosk
// after all is no longer a door for the team to knock on, on the staff list, the team's list and the
// coverage drill-down, as soon as their tube is sealed.

const wheeled = resident(0, ['immobile']);
const stayedHome = resident(1, ['immobile'], { room: '201' });

describe.each(BACKENDS)('a home visit sampled elsewhere (%s)', (backend) => {
  let rs: RosterSite;
  let team: string;
  const visitOf = (list: HomeVisit[], name: string) => list.find((v) => v.name === name)!;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, [wheeled, stayedHome]);
    team = await createTeam(rs.site, '一队');
    const list = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    await ok(rs.site, ROUNDS_API.homeVisitsAssign, { json: { visitIds: list.map((v) => v.id), team: '一队' } });
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  it('is done on every list once their tube at the kiosk is sealed, with that tube', async () => {
    const kiosk = await rs.site.connect('kiosk');
    const volunteer = await rs.site.connect('volunteer');
    const added = okReply(await scan(kiosk, rs.code(wheeled)));
    if (added.kind !== 'added') throw new Error(`unexpected ${added.kind}`);
    // In line is not yet sampled: the team still goes if they leave the queue.
    expect(visitOf(await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits), wheeled.name).status).toBe('pending');

    const groupId = added.group.id;
    okReply(await groupAction(kiosk, { groupId, action: 'close' }));
    okReply(await callNext(volunteer));
    okReply(await groupAction(kiosk, { groupId, action: 'start', tubeCode: 'T10000001' }));
    okReply(await groupAction(kiosk, { groupId, action: 'seal' }));

    const staffList = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits);
    expect(visitOf(staffList, wheeled.name)).toMatchObject({ status: 'done', tubeCode: 'T10000001' });
    expect(visitOf(staffList, stayedHome.name).status).toBe('pending');
    const teamList = await ok<HomeVisit[]>(rs.site, ROUNDS_API.homeVisits, { team });
    expect(visitOf(teamList, wheeled.name).status).toBe('done');
    const drill = await ok<HouseholdCoverage[]>(rs.site, `${ROUNDS_API.coverageBuilding}?building=1`);
    const member = drill.flatMap((h) => h.members).find((m) => m.name === wheeled.name)!;
    expect(member).toMatchObject({ status: 'sampled', homeVisit: 'done' });
  });
});
