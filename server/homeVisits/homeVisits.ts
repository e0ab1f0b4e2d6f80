// Home sampling (上门采样): the visit list, teams, and samples taken at the door.
import { floorOf, HOME_POINT, isStaffAdded } from '../../shared/homeVisits';
import { groupLabel } from '../../shared/pooling';
import type {
  AddVisitsRequest,
  AssignVisitsRequest,
  HomeSampleRequest,
  HomeSampleResult,
  HomeVisit,
  LookupRequest,
  NotHomeRequest,
  RetestVisitsRequest,
  VisitIdsRequest,
} from '../../shared/roundsApi';
import { classifyScan } from '../../shared/scanInput';
import { idKey } from '../../shared/idTypes';
import { ActionError } from '../queue/actionError';
import type { Actor } from '../../shared/roles';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { ResidentRow, RoundRow, Store, StoreTx } from '../store/store';
import type { HomeVisitRow } from '../store/homeVisitStore';
import { currentRound } from '../rounds/currentRound';
import type { Written, WritePipeline } from '../write/writePipeline';
import { notOnTeamList, onTeamList, type HomeActor } from './teamScope';

function toVisit(v: HomeVisitRow): HomeVisit {
  return {
    id: v.id,
    name: v.name,
    building: v.building,
    unit: v.unit,
    room: v.room,
    floor: floorOf(v.room),
    household: v.household,
    reason: v.reason,
    team: v.team,
    status: v.status,
    tubeCode: v.tube_code,
  };
}

/**
 * The visit list is kept as the roster and rounds change (tx.homeVisits().syncTagged: on import,
 * on a new round), so reading it is a plain read. Staff edits and door samples are writes of the
 * write pipeline; only a sample is keyed (a team tablet retries it) and announced (counts move).
 */
export class HomeVisits {
  constructor(
    private readonly store: Store,
    private readonly pipeline: WritePipeline,
    private readonly crypto: ResidentCrypto,
  ) {}

  private now(): string {
    return this.pipeline.now().toISOString();
  }

  /** A staff or team edit of the list: one transaction, nothing announced to the hall. */
  private edit<T>(op: string, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.pipeline.run(op, null, null, async (tx): Promise<Written<T>> => ({ reply: await fn(tx) }));
  }

  /** The round's visit list (or one team's), by building, household and person. */
  async list(team?: string | null): Promise<HomeVisit[]> {
    const rows = await this.store.read(async (tx) => tx.homeVisits().list((await currentRound(tx)).id, team ?? undefined));
    return rows.map(toVisit);
  }

  /** Staff add whole households (a family that asked for a visit, a newly sealed floor) and single residents. */
  async add(actor: Actor, req: AddVisitsRequest): Promise<HomeVisit[]> {
    return this.edit('home:add', async (tx) => {
      const round = await currentRound(tx);
      const residents = await tx.residents().ofHouseholds(req.households);
      const missing = req.households.filter((h) => !residents.some((r) => r.household === h));
      if (missing.length > 0) throw new ActionError('visit.households-unknown', { households: missing.join('、') });
      for (const input of req.residents) {
        const r = await this.residentOf(tx, input);
        if (!residents.some((x) => x.id === r.id)) residents.push(r);
      }
      const at = this.now();
      await tx
        .homeVisits()
        .insert(residents.map((r) => ({ round_id: round.id, resident_id: r.id, reason: 'staff' as const, updated_at: at })));
      const detail = [...req.households, ...(req.residents.length ? [`${req.residents.length} residents`] : [])].join(',');
      await tx.audit({ ...actor, action: 'home:add', subject: `round ${round.id}`, detail }, at);
      return (
        await tx.homeVisits().ofResidents(
          round.id,
          residents.map((r) => r.id),
        )
      ).map(toVisit);
    });
  }

  /** Staff take visits they added off the list again; visits their tags call for stay. */
  async remove(actor: Actor, req: VisitIdsRequest): Promise<number> {
    return this.edit('home:remove', async (tx) => {
      const { round, visits } = await this.visitsOf(tx, req.visitIds);
      const tagged = visits.find((v) => !isStaffAdded(v.reason));
      if (tagged) throw new ActionError('visit.by-tags', { name: tagged.name });
      const done = visits.find((v) => v.status === 'done');
      if (done) throw new ActionError('visit.already-sampled', { name: done.name });
      const at = this.now();
      await tx.homeVisits().delete(req.visitIds);
      await tx.audit({ ...actor, action: 'home:remove', subject: `round ${round.id}`, detail: `${visits.length} visits` }, at);
      return visits.length;
    });
  }

  /** "Not home" visits go back to pending, for a team to try again. */
  async requeue(actor: Actor, req: VisitIdsRequest): Promise<number> {
    return this.edit('home:requeue', async (tx) => {
      const { round, visits } = await this.visitsOf(tx, req.visitIds);
      const other = visits.find((v) => v.status !== 'not-home');
      if (other) throw new ActionError('visit.not-not-home', { name: other.name, status: other.status });
      const at = this.now();
      await tx.homeVisits().update(req.visitIds, { status: 'pending', updated_at: at });
      await tx.audit({ ...actor, action: 'home:requeue', subject: `round ${round.id}`, detail: `${visits.length} visits` }, at);
      return visits.length;
    });
  }

  /**
   * Residents on the lab's retest list whom a team samples at home: their entry (new, or the one
   * they had) becomes a pending retest visit; the team's single tube is their retest sample.
   */
  async retest(actor: Actor, req: RetestVisitsRequest): Promise<HomeVisit[]> {
    return this.edit('home:retest', async (tx) => {
      const round = await currentRound(tx);
      const at = this.now();
      for (const id of req.residentIds) {
        if (!(await tx.lab().pendingRetest(round.id, id))) throw new ActionError('visit.no-retest');
      }
      const existing = await tx.homeVisits().ofResidents(round.id, req.residentIds);
      if (existing.length)
        await tx.homeVisits().update(
          existing.map((v) => v.id),
          { reason: 'retest', status: 'pending', group_id: null, updated_at: at },
        );
      const fresh = req.residentIds.filter((id) => !existing.some((v) => v.resident_id === id));
      await tx.homeVisits().insert(fresh.map((id) => ({ round_id: round.id, resident_id: id, reason: 'retest' as const, updated_at: at })));
      await tx.audit({ ...actor, action: 'home:retest', subject: `round ${round.id}`, detail: `${req.residentIds.length} residents` }, at);
      return (await tx.homeVisits().ofResidents(round.id, req.residentIds)).map(toVisit);
    });
  }

  async assign(actor: Actor, req: AssignVisitsRequest): Promise<number> {
    return this.edit('home:assign', async (tx) => {
      const at = this.now();
      const n = await tx.homeVisits().update(req.visitIds, { team: req.team, updated_at: at });
      await tx.audit({ ...actor, action: 'home:assign', subject: req.team ?? '-', detail: `${n} visits` }, at);
      return n;
    });
  }

  /**
   * Who a code scanned at the door belongs to, and their entry on the list. A team learns nothing
   * of anyone not on its own list: whether they exist or not, the answer is the same, without a name.
   */
  async lookup(req: LookupRequest, team: string | null): Promise<HomeVisit> {
    return this.store.read(async (tx) => {
      const round = await currentRound(tx);
      const resident = await this.residentOf(tx, req.input, { roundId: round.id, team });
      const [visit] = await tx.homeVisits().ofResidents(round.id, [resident.id]);
      if (!visit) throw notOnTeamList(team);
      return toVisit(visit);
    });
  }

  /**
   * People sampled at the door into one tube: a single tube, or one household's tube. The tube
   * is a group at the home point, so tube codes stay unique across points and homes, the
   * members table still holds one live place per person per round, and coverage counts it at once.
   */
  async sample(actor: HomeActor, req: HomeSampleRequest): Promise<HomeSampleResult> {
    if (req.kind === 'single' && req.inputs.length !== 1) throw new ActionError('home.single-one-person');
    const at = this.now();
    return this.pipeline.run('home:sample', req.key, req, async (tx) => {
      const round = await currentRound(tx);
      const residents: ResidentRow[] = [];
      for (const input of req.inputs) {
        const r = await this.residentOf(tx, input, { roundId: round.id, team: actor.team });
        if (residents.some((x) => x.id === r.id)) throw new ActionError('home.scanned-twice', { name: r.name });
        residents.push(r);
      }
      if (req.kind === 'household' && new Set(residents.map((r) => r.household)).size > 1) {
        throw new ActionError('home.one-household');
      }
      const visits = await tx.homeVisits().ofResidents(
        round.id,
        residents.map((r) => r.id),
      );
      /** Which sample of theirs each person gives: 0 the round's, 1 … a retest the lab asked for. */
      const attempts = new Map<number, number>();
      for (const r of residents) {
        const visit = visits.find((v) => v.resident_id === r.id);
        if (!visit) throw new ActionError('home.not-on-list', { name: r.name });
        const place = await tx.queue().membership(round.id, r.id);
        // 不重采: the same rule as at the points; a pending retest is the one more sample allowed.
        const retest = place && visit.status !== 'done' ? await tx.lab().pendingRetest(round.id, r.id) : null;
        if (place && !retest) throw new ActionError('home.already-placed', { name: r.name, group: place.groupLabel });
        if (retest && req.kind !== 'single') throw new ActionError('home.retest-single', { name: r.name });
        attempts.set(r.id, retest?.attempt ?? 0);
      }
      const other = await tx.queue().groupByTube(req.tubeCode);
      if (other) throw new ActionError('tube.used', { tube: req.tubeCode, group: other.label });

      const point = await tx.rounds().ensurePoint(HOME_POINT, '上门采样', at);
      const seq = await tx.queue().nextGroupSeq(round.id, point.id);
      const label = groupLabel(HOME_POINT, seq);
      const groupId = await tx.queue().insertGroup({
        round_id: round.id,
        point_id: point.id,
        seq,
        label,
        kind: req.kind === 'single' ? 'single' : 'pooled',
        pool_size: residents.length,
        state: 'sampled',
        priority: 0,
        tube_code: req.tubeCode,
        created_at: at,
        closed_at: at,
        called_at: null,
        started_at: at,
        sampled_at: at,
      });
      for (const [i, r] of residents.entries()) {
        await tx.queue().insertMember({
          group_id: groupId,
          round_id: round.id,
          resident_id: r.id,
          position: i + 1,
          scanned_at: at,
          device: actor.device,
          retest: attempts.get(r.id),
        });
      }
      await tx.queue().setGroupMembersSampled(groupId);
      const visitIds = residents.map((r) => visits.find((v) => v.resident_id === r.id)!.id);
      await tx.homeVisits().update(visitIds, { status: 'done', group_id: groupId, updated_at: at });
      const retests = [...attempts.values()].filter((a) => a > 0).length;
      await tx.audit(
        {
          ...actor,
          action: 'home:sample',
          subject: label,
          detail: `${req.tubeCode} ${residents.length} people${retests ? ' (retest)' : ''}`,
        },
        at,
      );
      // Counts only: a home tube never shows on the hall display.
      return { reply: { tubeCode: req.tubeCode, label, visitIds }, announce: {} };
    });
  }

  /** Nobody answered: the visit stays on the list as "not home" to be tried again. */
  async notHome(actor: HomeActor, req: NotHomeRequest): Promise<number> {
    return this.edit('home:not-home', async (tx) => {
      const { round, visits } = await this.visitsOf(tx, req.visitIds, actor.team);
      const done = visits.find((v) => v.status === 'done');
      if (done) throw new ActionError('visit.already-sampled', { name: done.name });
      const at = this.now();
      await tx.homeVisits().update(req.visitIds, { status: 'not-home', updated_at: at });
      await tx.audit({ ...actor, action: 'home:not-home', subject: `round ${round.id}`, detail: `${visits.length} visits` }, at);
      return visits.length;
    });
  }

  /** The visits by id: of one team's list when a team asks (null: staff, the whole list). */
  private async visitsOf(tx: StoreTx, ids: number[], team: string | null = null): Promise<{ round: RoundRow; visits: HomeVisitRow[] }> {
    const round = await currentRound(tx);
    const visits = (await tx.homeVisits().byIds(round.id, ids)).filter((v) => team === null || v.team === team);
    if (visits.length !== new Set(ids).size) throw new ActionError('visit.some-not-on-list');
    return { round, visits };
  }

  /**
   * The resident a code or typed ID number names. Asked by a team (scope.team set), anyone not on
   * its list (nobody on the roster included) gets the same refusal: the lookup is no oracle.
   */
  private async residentOf(tx: StoreTx, raw: string, scope?: { roundId: number; team: string | null }): Promise<ResidentRow> {
    const input = classifyScan(raw);
    let resident: ResidentRow | null = null;
    if (input.kind === 'code') {
      if (!this.crypto.verifyCode(input.code)) throw new ActionError('home.code-forged');
      resident = await tx.residents().byUid(input.code.uid);
    } else if (input.kind === 'id-number') {
      resident = await tx.residents().byIdHash(this.crypto.hashId(idKey(input.idType, input.idNumber)));
    } else {
      throw new ActionError(input.kind === 'bad-id-number' ? 'id.invalid' : 'home.unreadable');
    }
    if (scope && scope.team !== null && !(await onTeamList(tx, scope.roundId, resident, scope.team))) throw notOnTeamList(scope.team);
    if (!resident) throw scope ? notOnTeamList(scope.team) : new ActionError('home.not-on-roster');
    return resident;
  }
}
