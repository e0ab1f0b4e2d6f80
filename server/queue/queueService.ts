import { transitionFor, type GroupAction } from '../../shared/groupStates';
import { DEFAULT_SITE_TZ, siteDate } from '../../shared/siteDate';
import { householdKey, normalizeAddress } from '../../shared/household';
import { checkPersonId, DEFAULT_ID_TYPE, idKey, maskId, personKey } from '../../shared/idTypes';
import { normalizePhone } from '../../shared/phone';
import { DEFAULT_POOL_SIZE, groupLabel, placeNext } from '../../shared/pooling';
import type {
  CallNextRequest,
  GroupActionRequest,
  GroupView,
  MemberAbsentRequest,
  ScanOutcome,
  ScannedResident,
  ScanRequest,
  Snapshot,
  WalkInRequest,
} from '../../shared/protocol';
import type { Actor } from '../../shared/roles';
import { removalRule, type MemberRemoveRequest } from '../../shared/memberRemove';
import { routeFor } from '../../shared/routing';
import { classifyScan } from '../../shared/scanInput';
import { hasPriority } from '../../shared/tags';
import type { MemberMoveRequest } from '../../shared/hall';
import { admitCall, hallView } from '../hall/hall';
import type { ResidentCrypto } from '../security/residentCrypto';
import { parseTags, type ResidentRow, type Store, type StoreTx } from '../store/store';
import type { Written, WritePipeline, WriteOptions } from '../write/writePipeline';
import { ActionError } from './actionError';
import { currentRound } from '../rounds/currentRound';
import { lockMarkableMember } from './markableMember';
import { groupViews, liveGroupViews } from './groupViews';
import type { QueueTx } from '../store/queueStore';
import { permit } from './permit';
import { randomBytes } from 'node:crypto';
import { takenOffline } from '../../shared/offlineScans';
import { tubeCodeFrom, type TubeLabelRequest } from '../../shared/tubeLabels';
import { householdSlot, type TubeMode } from '../../shared/tubeModes';
import { readCrowding } from '../points/crowding';

/** How many sampled groups a snapshot still shows (the display's "just sampled" list). */
const RECENT_SAMPLED = 20;

/** Fields a kiosk may change when its outbox replays a scan: not part of the scan's fingerprint. */
const SCAN_VARIES = ['offline', 'scannedAt'] as const;

/** Queue writes share transactions and commits (group commit): many small writes at once. */
const GROUPED: WriteOptions = { grouped: true };

/** Group actions that can end the group filling at a point: they wait for the point, as scans there do. */
const ENDS_FILLING: readonly GroupAction[] = ['close', 'cancel'];

/** What a kiosk is told of the person it scanned. */
function scannedResident(resident: { name: string; household: string; tags: string }): ScannedResident {
  const tags = parseTags(resident.tags);
  return { name: resident.name, household: resident.household, tags, ...(tags.includes('unverified') ? { unverified: true } : {}) };
}

export class QueueService {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly pipeline: WritePipeline,
    private readonly crypto: ResidentCrypto,
  ) {
    this.now = pipeline.now;
  }

  /**
   * Every start: one sampling point "A" and an open round, so a fresh install can scan at once;
   * the round's visit list brought up to the roster's tags (a database from before it was kept).
   * The first round is named and dated for the site's day (`tz`), not UTC's.
   */
  async ensureDefaults(tz = DEFAULT_SITE_TZ): Promise<void> {
    await this.pipeline.run('queue:defaults', null, null, async (tx) => {
      const at = this.now().toISOString();
      if ((await tx.rounds().points()).length === 0) await tx.rounds().insertPoint('A', 'A', DEFAULT_POOL_SIZE, at);
      const round = (await tx.rounds().current()) ?? (await tx.rounds().open(siteDate(at, tz), siteDate(at, tz), at));
      await tx.homeVisits().syncTagged(round.id, at);
      return { reply: null };
    });
  }

  async snapshot(): Promise<Snapshot> {
    return this.store.read(async (tx) => {
      const round = await currentRound(tx);
      return {
        version: await tx.version(),
        round: { id: round.id, name: round.name, date: round.date },
        points: (await tx.rounds().points()).map((p) => ({ code: p.code, name: p.name, poolSize: p.pool_size })),
        groups: await liveGroupViews(tx, round.id, RECENT_SAMPLED),
        counts: await tx.queue().counts(round.id),
        hall: await hallView(tx),
        schedule: await tx.rounds().schedule(round.id),
        crowding: await readCrowding(tx),
      };
    });
  }

  /** A code or ID number scanned at a kiosk: one clear outcome, decided and stored in one transaction. */
  async scan(actor: Actor, req: ScanRequest): Promise<ScanOutcome> {
    permit(actor, 'scan');
    const input = classifyScan(req.input, req.idType);
    switch (input.kind) {
      case 'unreadable':
      case 'bad-code':
        return { kind: 'rejected', reason: 'unreadable' };
      case 'bad-id-number':
        return { kind: 'rejected', reason: 'bad-id-number', idType: input.idType, fault: input.fault };
      case 'code':
        if (!this.crypto.verifyCode(input.code)) return { kind: 'rejected', reason: 'forged' };
    }
    // The look-up shares the write's transaction: one transaction per scan, not two.
    return this.pipeline.run(
      'scan',
      req.key,
      req,
      async (tx) => {
        // PostgreSQL places the plain pooled case in one round trip (store/pgScan.ts); the rest comes here.
        const placed =
          (req.mode ?? 'pooled') === 'pooled'
            ? await tx.queue().pooledScan({
                uid: input.kind === 'code' ? input.code.uid : null,
                idHash: input.kind === 'code' ? null : this.crypto.hashId(idKey(input.idType, input.idNumber)),
                point: req.point,
                scannedAt: req.scannedAt ?? this.now().toISOString(),
                at: this.now().toISOString(),
                role: actor.role,
                device: actor.device,
              })
            : null;
        if (placed) {
          const group = { id: placed.groupId, label: placed.label, position: placed.position, poolSize: placed.poolSize };
          return {
            reply: { kind: 'added', resident: scannedResident(placed), group, full: placed.full, memberId: placed.memberId },
            announce: { groups: [group.id] },
          };
        }
        const resident =
          input.kind === 'code'
            ? await tx.residents().byUid(input.code.uid)
            : await tx.residents().byIdHash(this.crypto.hashId(idKey(input.idType, input.idNumber)));
        if (resident) return this.placeScan(tx, actor, resident, req);
        const reply: ScanOutcome =
          input.kind === 'code'
            ? { kind: 'rejected', reason: 'unknown-code' }
            : { kind: 'not-on-roster', idType: input.idType, maskedIdNumber: maskId(input.idType, input.idNumber) };
        return { reply };
      },
      { ...GROUPED, lane: req.point, vary: SCAN_VARIES },
    );
  }

  /** Someone not on the roster, confirmed by the sampler: added as a resident, then placed. */
  async walkIn(actor: Actor, req: WalkInRequest): Promise<ScanOutcome> {
    permit(actor, 'walk-in');
    const checked = checkPersonId(req.idType ?? DEFAULT_ID_TYPE, req.idNumber, req.nationality, req.idNote);
    if (!checked.ok) throw new ActionError('id.refused', { fault: checked.fault });
    const { id } = checked;
    const address = normalizeAddress({ building: req.building ?? '', unit: req.unit ?? '', room: req.room ?? '' });
    if (id.idType === 'none' && !(address.building && address.room)) throw new ActionError('id.refused', { fault: 'id-none-needs-room' });
    const household = address.room ? householdKey(address) : '';
    return this.pipeline.run(
      'walk-in',
      req.key,
      req,
      async (tx) => {
        const hash = this.crypto.hashId(personKey({ ...id, name: req.name, household }));
        let resident = await tx.residents().byIdHash(hash);
        if (!resident) {
          const at = this.now().toISOString();
          const phone = normalizePhone(req.phone ?? '');
          resident = await tx.residents().insert({
            uid: this.crypto.newUid(),
            name: req.name,
            id_type: id.idType,
            id_hash: hash,
            id_masked: maskId(id.idType, id.idNumber),
            id_enc: this.crypto.encrypt(id.idNumber),
            phone_enc: phone ? this.crypto.encrypt(phone) : null,
            nationality: id.nationality,
            id_note: id.idNote,
            ...address,
            household,
            tags: JSON.stringify(['walk-in']),
            created_at: at,
            updated_at: at,
          });
          await tx.audit({ ...actor, action: 'walk-in', subject: `resident ${resident.uid}`, detail: '' }, at);
        }
        return this.place(tx, actor, resident, req.point);
      },
      { ...GROUPED, lane: req.point },
    );
  }

  async groupAction(actor: Actor, req: GroupActionRequest): Promise<GroupView> {
    return this.groupStep(actor, req, 'group:action', req);
  }

  /** op and request: what a replay of this key must repeat (the request itself, unless the server filled part of it in). */
  private async groupStep(actor: Actor, req: GroupActionRequest, op: string, request: object): Promise<GroupView> {
    return this.pipeline.run(
      op,
      req.key,
      request,
      async (tx) => {
        const group = ENDS_FILLING.includes(req.action)
          ? await tx.queue().lockGroupAtPoint(req.groupId)
          : await tx.queue().lockGroup(req.groupId);
        if (!group) throw new ActionError('group.not-found', { id: req.groupId });
        const step = transitionFor(req.action, group.state, actor.role);
        if (!step.ok) {
          throw step.reason === 'role'
            ? new ActionError('auth.role-forbidden', { role: actor.role })
            : new ActionError('group.wrong-state', { group: group.label, state: group.state });
        }
        const at = this.now().toISOString();
        const patch: Parameters<QueueTx['updateGroup']>[1] = { state: step.to };
        if (req.action === 'close') patch.closed_at = at;
        // hall: capacity and desks. Starting now is a call too: the display announces it.
        const calls = req.action === 'call' || req.action === 'start-now';
        if (calls) patch.called_at = at;
        if (calls) await admitCall(tx, group);
        if (req.action === 'recall') await tx.hall().setDesk(group.id, null);
        if (req.action === 'start' || req.action === 'start-now') {
          // A tube labelled at the kiosk is already on the group; a scanned code replaces it.
          const tubeCode = req.tubeCode ?? group.tube_code;
          if (!tubeCode) throw new ActionError('tube.code-missing');
          const other = await tx.queue().groupByTube(tubeCode);
          if (other && other.id !== group.id) throw new ActionError('tube.used', { tube: tubeCode, group: other.label });
          patch.tube_code = tubeCode;
          patch.started_at = at;
        }
        if (req.action === 'cancel') {
          await tx.queue().releaseGroupMembers(group.id);
          patch.closed_at = at;
        }
        if (req.action === 'seal') {
          if ((await tx.queue().activeMemberCount(group.id)) === 0) throw new ActionError('group.nobody-present', { group: group.label });
          await tx.queue().setGroupMembersSampled(group.id);
          patch.sampled_at = at;
        }
        await tx.queue().updateGroup(group.id, patch);
        await tx.audit({ ...actor, action: `group:${req.action}`, subject: group.label, detail: req.tubeCode ?? '' }, at);
        return this.changedGroup(tx, group.id);
      },
      GROUPED,
    );
  }

  /** Calls the next waiting group at a point; two volunteers calling at once get two different groups. */
  async callNext(actor: Actor, req: CallNextRequest): Promise<GroupView | null> {
    permit(actor, 'group:call-next');
    return this.pipeline.run(
      'group:call-next',
      req.key,
      req,
      async (tx) => {
        const round = await currentRound(tx);
        const point = await tx.queue().lockPoint(req.point);
        if (!point) throw new ActionError('point.not-found', { point: req.point });
        const group = await tx.queue().nextWaitingGroup(round.id, point.id);
        if (!group) return { reply: null };
        await admitCall(tx, group);
        const at = this.now().toISOString();
        await tx.queue().updateGroup(group.id, { state: 'called', called_at: at });
        await tx.audit({ ...actor, action: 'group:call', subject: group.label, detail: '' }, at);
        return this.changedGroup(tx, group.id);
      },
      { ...GROUPED, lane: req.point },
    );
  }

  /** A called member who did not come: they leave the group and may be scanned again later. */
  async markAbsent(actor: Actor, req: MemberAbsentRequest): Promise<GroupView> {
    permit(actor, 'member:absent');
    return this.pipeline.run(
      'member:absent',
      req.key,
      req,
      async (tx) => {
        const { member, group } = await lockMarkableMember(tx, req.memberId, 'member.not-queued');
        await tx.queue().setMemberStatus(member.id, 'absent');
        await tx.audit(
          { ...actor, action: 'member:absent', subject: group.label, detail: `member ${member.id}` },
          this.now().toISOString(),
        );
        return this.changedGroup(tx, group.id);
      },
      GROUPED,
    );
  }

  // ---- hall ----

  /** A member marked absent turned up after all: placed again at the same point, as a fresh scan would be. */
  async moveAbsent(actor: Actor, req: MemberMoveRequest): Promise<ScanOutcome> {
    permit(actor, 'member:move');
    return this.pipeline.run(
      'member:move',
      req.key,
      req,
      async (tx) => {
        const member = await tx.queue().memberWithResident(req.memberId);
        if (!member) throw new ActionError('member.not-found', { id: req.memberId });
        if (member.status !== 'absent') throw new ActionError('member.not-absent');
        // The old group keeps the absent row as the record of the missed call.
        return this.place(tx, actor, member.resident, member.point);
      },
      GROUPED,
    );
  }

  /** Undo at the kiosk: a member added by mistake leaves a group not yet called (rules in shared/memberRemove). */
  async removeMember(actor: Actor, req: MemberRemoveRequest): Promise<GroupView> {
    permit(actor, 'member:remove');
    return this.pipeline.run(
      'member:remove',
      req.key,
      req,
      async (tx) => {
        const found = await tx.queue().memberById(req.memberId);
        if (!found) throw new ActionError('member.not-found', { id: req.memberId });
        // A scan at the point reads the group's size under the point's lock: without it, a scan racing
        // this undo counts the member still there and takes a position past the end (1,2,3,5).
        const group = await tx.queue().lockGroupAtPoint(found.group_id);
        if (!group) throw new ActionError('member.no-group', { id: req.memberId });
        // Read again under the locks: an undo racing this one may have taken them out already.
        const member = await tx.queue().memberForRemoval(req.memberId);
        if (!member) throw new ActionError('member.not-found', { id: req.memberId });
        const remaining = (await tx.queue().activeMemberCount(group.id)) - (member.status === 'absent' ? 0 : 1);
        const forming = await tx.queue().formingGroup(group.round_id, group.point_id, group.priority === 1);
        const rule = removalRule(group, remaining, forming !== null && forming.id !== group.id);
        if (!rule.ok) {
          throw rule.reason === 'state'
            ? new ActionError('member.remove-called', { group: group.label, state: group.state })
            : new ActionError(rule.reason === 'single-tube' ? 'member.remove-single-tube' : 'member.remove-last', { group: group.label });
        }
        // A tick at the hall door refers to the member row: it goes with it.
        await tx.hall().setPresent(member.id, false);
        await tx.queue().deleteMember(member.id);
        await tx.queue().renumberMembers(group.id);
        if (rule.state !== group.state) await tx.queue().updateGroup(group.id, { state: rule.state, closed_at: null });
        await tx.audit(
          {
            ...actor,
            action: 'member:remove',
            subject: group.label,
            detail: `resident ${member.resident_uid} position ${member.position}`,
          },
          this.now().toISOString(),
        );
        return this.changedGroup(tx, group.id);
      },
      GROUPED,
    );
  }

  // ---- kiosk tubes and offline outbox ----

  /**
   * Labels a waiting or called group's tube at the kiosk: the server makes the code, unique like a
   * scanned one, and records it on the group. The group's state stays as it is: it is still called
   * from the queue, and sampling starts from the desk with this code. A second label is the same code.
   */
  async tubeLabel(actor: Actor, req: TubeLabelRequest): Promise<GroupView> {
    permit(actor, 'tube:label');
    return this.pipeline.run(
      'tube:label',
      req.key,
      req,
      async (tx) => {
        const group = await tx.queue().lockGroup(req.groupId);
        if (!group) throw new ActionError('group.not-found', { id: req.groupId });
        if (group.state !== 'waiting' && group.state !== 'called') {
          throw new ActionError('group.label-wrong-state', { group: group.label, state: group.state });
        }
        if (group.tube_code) return { reply: (await groupViews(tx, [group.id]))[0], changed: [] };
        const tubeCode = tubeCodeFrom(randomBytes(10));
        await tx.queue().updateGroup(group.id, { tube_code: tubeCode });
        await tx.audit({ ...actor, action: 'tube:label', subject: group.label, detail: tubeCode }, this.now().toISOString());
        return this.changedGroup(tx, group.id);
      },
      GROUPED,
    );
  }

  /** A scan placed in the kiosk's tube mode; an offline scan of someone already placed is recorded for staff. */
  private async placeScan(tx: StoreTx, actor: Actor, resident: ResidentRow, req: ScanRequest): Promise<Written<ScanOutcome>> {
    const result = await this.place(tx, actor, resident, req.point, req.scannedAt, req.mode);
    const outcome = result.reply;
    if (outcome.kind === 'duplicate' && takenOffline(req, this.now())) {
      const at = this.now().toISOString();
      await tx.queue().insertScanConflict({
        round_id: (await currentRound(tx)).id,
        resident_id: resident.id,
        request_key: req.key,
        point: req.point,
        device: actor.device,
        scanned_at: req.scannedAt ?? at,
        previous_point: outcome.previous.point,
        previous_group: outcome.previous.groupLabel,
        previous_at: outcome.previous.at,
        recorded_at: at,
      });
      await tx.audit(
        { ...actor, action: 'scan:conflict', subject: `resident ${resident.uid}`, detail: `already in ${outcome.previous.groupLabel}` },
        at,
      );
    }
    return result;
  }

  // ---- inside a write transaction --------------------------------------------------------

  private async changedGroup(tx: StoreTx, groupId: number): Promise<Written<GroupView>> {
    const [view] = await groupViews(tx, [groupId]);
    return { reply: view, announce: { groups: [groupId] } };
  }

  /** 不漏采、不重采、不错采: decides where a matched resident goes and records it. */
  private async place(
    tx: StoreTx,
    actor: Actor,
    resident: ResidentRow,
    pointCode: string,
    scannedAt?: string,
    mode: TubeMode = 'pooled',
  ): Promise<Written<ScanOutcome>> {
    const round = await currentRound(tx);
    const tags = parseTags(resident.tags);
    const who = scannedResident(resident);
    const previous = await tx.queue().membership(round.id, resident.id);
    // lab: someone on the retest list gives exactly one more sample, in a tube of their own.
    const retest = previous ? await tx.lab().pendingRetest(round.id, resident.id) : null;
    if (previous && !retest) {
      return {
        reply: { kind: 'duplicate', resident: who, previous: { point: previous.point, groupLabel: previous.groupLabel, at: previous.at } },
      };
    }
    const route = routeFor(tags, retest?.reason ?? null);
    // In household mode the sampler is at the door: sealed-building people are sampled right there.
    if (route === 'home' && mode !== 'household') return { reply: { kind: 'routed', route: 'home', resident: who } };

    const point = await tx.queue().lockPoint(pointCode);
    if (!point) throw new ActionError('point.not-found', { point: pointCode });
    const at = this.now().toISOString();
    const scanned = scannedAt ?? at;
    const newGroup = async (kind: 'pooled' | 'single', poolSize: number, full: boolean) => {
      const seq = await tx.queue().nextGroupSeq(round.id, point.id);
      const label = groupLabel(point.code, seq);
      const id = await tx.queue().insertGroup({
        round_id: round.id,
        point_id: point.id,
        seq,
        label,
        kind,
        pool_size: poolSize,
        state: full ? 'waiting' : 'forming',
        priority: hasPriority(tags) ? 1 : 0,
        tube_code: null,
        created_at: at,
        closed_at: full ? at : null,
        called_at: null,
        started_at: null,
        sampled_at: null,
      });
      return { id, label };
    };
    const member = (groupId: number, position: number) =>
      tx.queue().insertMember({
        group_id: groupId,
        round_id: round.id,
        resident_id: resident.id,
        position,
        scanned_at: scanned,
        device: actor.device,
        retest: retest?.attempt ?? 0,
      });

    if (route === 'single-tube') {
      const group = await newGroup('single', 1, true);
      await member(group.id, 1);
      await tx.audit(
        {
          ...actor,
          action: 'scan',
          subject: `resident ${resident.uid}`,
          detail: retest ? `single-tube retest ${retest.attempt} (${retest.reason})` : 'single-tube',
        },
        at,
      );
      return {
        reply: { kind: 'routed', route: 'single-tube', resident: who, group, ...(retest ? { retest: retest.reason } : {}) },
        announce: { groups: [group.id] },
      };
    }

    // ---- kiosk tubes: single-tube and household modes ----
    if (mode !== 'pooled') {
      const open = mode === 'household' ? await tx.queue().openHouseholdTube(round.id, point.id) : null;
      const slot =
        mode === 'household'
          ? householdSlot(
              open && {
                household: open.household,
                size: await tx.queue().activeMemberCount(open.group.id),
                poolSize: open.group.pool_size,
              },
              resident.household,
            )
          : ({ join: false, closeOpen: false } as const);
      if (!slot.join && slot.closeOpen && open) {
        await tx.queue().updateGroup(open.group.id, { state: 'waiting', closed_at: at });
      }
      const poolSize = mode === 'single' ? 1 : point.pool_size;
      const position = slot.join ? slot.position : 1;
      const full = slot.join ? slot.full : poolSize === 1;
      const group =
        slot.join && open
          ? { id: open.group.id, label: open.group.label }
          : await newGroup(mode === 'single' ? 'single' : 'pooled', poolSize, full);
      if (!slot.join && mode === 'household') await tx.queue().markHouseholdTube(group.id, resident.household);
      const memberId = await member(group.id, position);
      if (slot.join && slot.full) await tx.queue().updateGroup(group.id, { state: 'waiting', closed_at: at });
      await tx.audit(
        { ...actor, action: 'scan', subject: `resident ${resident.uid}`, detail: `${mode} ${group.label} position ${position}` },
        at,
      );
      const changed = open && open.group.id !== group.id ? [open.group.id, group.id] : [group.id];
      return {
        reply: { kind: 'added', resident: who, group: { ...group, position, poolSize }, full, memberId },
        announce: { groups: changed },
      };
    }

    // Green-channel (绿色通道) people fill groups of their own, which are called first.
    const forming = await tx.queue().formingGroup(round.id, point.id, hasPriority(tags));
    const slot = placeNext(forming && { size: forming.size, poolSize: forming.pool_size }, point.pool_size);
    const group = slot.newGroup || !forming ? await newGroup('pooled', slot.poolSize, slot.full) : { id: forming.id, label: forming.label };
    const memberId = await member(group.id, slot.position);
    if (slot.full && !slot.newGroup) await tx.queue().updateGroup(group.id, { state: 'waiting', closed_at: at });
    await tx.audit(
      { ...actor, action: 'scan', subject: `resident ${resident.uid}`, detail: `${group.label} position ${slot.position}` },
      at,
    );
    return {
      reply: {
        kind: 'added',
        resident: who,
        group: { ...group, position: slot.position, poolSize: slot.poolSize },
        full: slot.full,
        memberId,
      },
      announce: { groups: [group.id] },
    };
  }
}
