// Home sampling (上门采样): the visit list, teams, and samples taken at the door.
import { floorOf, HOME_POINT, visitReasonFor } from '../../shared/homeVisits';
import { groupLabel } from '../../shared/pooling';
import type {
  AddVisitsRequest, AssignVisitsRequest, HomeSampleRequest, HomeSampleResult, HomeVisit, LookupRequest, NotHomeRequest,
} from '../../shared/roundsApi';
import { classifyScan } from '../../shared/scanInput';
import { ActionError } from '../queue/actionError';
import type { Actor, QueueService } from '../queue/queueService';
import type { ResidentCrypto } from '../security/residentCrypto';
import { parseTags, type HomeVisitRow, type ResidentRow, type Store, type StoreTx } from '../store/store';
import { announcedWrite, currentRound } from '../rounds/announcedWrite';

function toVisit(v: HomeVisitRow): HomeVisit {
  return {
    id: v.id, name: v.name, building: v.building, unit: v.unit, room: v.room, floor: floorOf(v.room),
    household: v.household, reason: v.reason, team: v.team, status: v.status, tubeCode: v.tube_code,
  };
}

/** Residents whose tags call for a home visit join the round's list (a roster imported later too). */
async function addTagged(tx: StoreTx, roundId: number, at: string): Promise<void> {
  const rows = (await tx.roundResidents(roundId)).flatMap((r) => {
    const reason = visitReasonFor(parseTags(r.tags));
    // Someone already sampled at a point needs no visit.
    return reason && r.status === null ? [{ round_id: roundId, resident_id: r.id, reason, updated_at: at }] : [];
  });
  await tx.insertHomeVisits(rows);
}

export class HomeVisits {
  constructor(
    private readonly store: Store,
    private readonly queue: QueueService,
    private readonly crypto: ResidentCrypto,
  ) {}

  private now(): string {
    return this.queue.now().toISOString();
  }

  /** The round's visit list (or one team's), by building, household and person. */
  async list(team?: string): Promise<HomeVisit[]> {
    const rows = await this.store.write(async (tx) => {
      const round = await currentRound(tx);
      await addTagged(tx, round.id, this.now());
      return tx.homeVisits(round.id, team);
    });
    return rows.map(toVisit);
  }

  /** Staff add whole households (a family that asked for a visit, a newly sealed floor). */
  async add(actor: Actor, req: AddVisitsRequest): Promise<HomeVisit[]> {
    return this.store.write(async (tx) => {
      const round = await currentRound(tx);
      const residents = await tx.residentsOfHouseholds(req.households);
      const missing = req.households.filter((h) => !residents.some((r) => r.household === h));
      if (missing.length > 0) throw new ActionError('not-found', `no residents in household ${missing.join(', ')}`);
      const at = this.now();
      await tx.insertHomeVisits(residents.map((r) => ({ round_id: round.id, resident_id: r.id, reason: 'staff' as const, updated_at: at })));
      await tx.audit({ ...actor, action: 'home:add', subject: `round ${round.id}`, detail: req.households.join(',') }, at);
      return (await tx.homeVisitsOf(round.id, residents.map((r) => r.id))).map(toVisit);
    });
  }

  async assign(actor: Actor, req: AssignVisitsRequest): Promise<number> {
    return this.store.write(async (tx) => {
      const at = this.now();
      const n = await tx.updateHomeVisits(req.visitIds, { team: req.team, updated_at: at });
      await tx.audit({ ...actor, action: 'home:assign', subject: req.team ?? '-', detail: `${n} visits` }, at);
      return n;
    });
  }

  /** Who a code scanned at the door belongs to, and their entry on the list. */
  async lookup(req: LookupRequest): Promise<HomeVisit> {
    return this.store.write(async (tx) => {
      const round = await currentRound(tx);
      const resident = await this.residentOf(tx, req.input);
      await addTagged(tx, round.id, this.now());
      const [visit] = await tx.homeVisitsOf(round.id, [resident.id]);
      if (!visit) throw new ActionError('not-found', `${resident.name} is not on the home-visit list; staff can add the household`);
      return toVisit(visit);
    });
  }

  /**
   * People sampled at the door into one tube: a single tube, or one household's tube. The tube
   * is a group at the home point, so tube codes stay unique across points and homes, the
   * members table still holds one live place per person per round, and coverage counts it at once.
   */
  async sample(actor: Actor, req: HomeSampleRequest): Promise<HomeSampleResult> {
    if (req.kind === 'single' && req.inputs.length !== 1) throw new ActionError('invalid', 'a single tube holds one person');
    const at = this.now();
    return announcedWrite(this.store, this.queue, req.key, at, async (tx) => {
      const round = await currentRound(tx);
      const residents: ResidentRow[] = [];
      for (const input of req.inputs) {
        const r = await this.residentOf(tx, input);
        if (residents.some((x) => x.id === r.id)) throw new ActionError('invalid', `${r.name} was scanned twice`);
        residents.push(r);
      }
      if (req.kind === 'household' && new Set(residents.map((r) => r.household)).size > 1) {
        throw new ActionError('invalid', 'a household tube holds one household only');
      }
      await addTagged(tx, round.id, at);
      const visits = await tx.homeVisitsOf(round.id, residents.map((r) => r.id));
      for (const r of residents) {
        const visit = visits.find((v) => v.resident_id === r.id);
        if (!visit) throw new ActionError('conflict', `${r.name} is not on the home-visit list; staff can add the household`);
        const place = await tx.membership(round.id, r.id);
        // 不重采: the same rule as at the points.
        if (place) throw new ActionError('conflict', `${r.name} is already sampled or registered this round (${place.groupLabel})`);
      }
      const other = await tx.groupByTube(req.tubeCode);
      if (other) throw new ActionError('conflict', `tube ${req.tubeCode} is already used by group ${other.label}`);

      const point = await tx.ensurePoint(HOME_POINT, '上门采样', at);
      const seq = await tx.nextGroupSeq(round.id, point.id);
      const label = groupLabel(HOME_POINT, seq);
      const groupId = await tx.insertGroup({
        round_id: round.id, point_id: point.id, seq, label, kind: req.kind === 'single' ? 'single' : 'pooled',
        pool_size: residents.length, state: 'sampled', priority: 0, tube_code: req.tubeCode,
        created_at: at, closed_at: at, called_at: null, started_at: at, sampled_at: at,
      });
      for (const [i, r] of residents.entries()) {
        await tx.insertMember({ group_id: groupId, round_id: round.id, resident_id: r.id, position: i + 1, scanned_at: at, device: actor.device });
      }
      await tx.setGroupMembersSampled(groupId);
      const visitIds = residents.map((r) => visits.find((v) => v.resident_id === r.id)!.id);
      await tx.updateHomeVisits(visitIds, { status: 'done', group_id: groupId, updated_at: at });
      await tx.audit({ ...actor, action: 'home:sample', subject: label, detail: `${req.tubeCode} ${residents.length} people` }, at);
      return { reply: { tubeCode: req.tubeCode, label, visitIds }, announce: { counts: true } };
    });
  }

  /** Nobody answered: the visit stays on the list as "not home" to be tried again. */
  async notHome(actor: Actor, req: NotHomeRequest): Promise<number> {
    return this.store.write(async (tx) => {
      const round = await currentRound(tx);
      const visits = (await tx.homeVisits(round.id)).filter((v) => req.visitIds.includes(v.id));
      if (visits.length !== req.visitIds.length) throw new ActionError('not-found', 'some of these visits are not on this round\'s list');
      const done = visits.find((v) => v.status === 'done');
      if (done) throw new ActionError('conflict', `${done.name} is already sampled`);
      const at = this.now();
      await tx.updateHomeVisits(req.visitIds, { status: 'not-home', updated_at: at });
      await tx.audit({ ...actor, action: 'home:not-home', subject: `round ${round.id}`, detail: `${visits.length} visits` }, at);
      return visits.length;
    });
  }

  private async residentOf(tx: StoreTx, raw: string): Promise<ResidentRow> {
    const input = classifyScan(raw);
    let resident: ResidentRow | null = null;
    if (input.kind === 'code') {
      if (!this.crypto.verifyCode(input.code)) throw new ActionError('invalid', 'this code is forged or damaged');
      resident = await tx.residentByUid(input.code.uid);
    } else if (input.kind === 'id-number') {
      resident = await tx.residentByIdHash(this.crypto.hashIdNumber(input.idNumber));
    } else {
      throw new ActionError('invalid', input.kind === 'bad-id-number' ? 'the ID number is not valid' : 'neither a resident code nor an ID number');
    }
    if (!resident) throw new ActionError('not-found', 'nobody on the roster has this code or ID number');
    return resident;
  }
}
