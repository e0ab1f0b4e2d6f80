// Storage of the queue inside one transaction: points locked for a scan, groups and their members,
// household tubes, offline-scan conflicts, the counts, and the groups as clients see them (with names
// as stored: masking them for the wire is the queue layer's, server/queue/groupViews.ts). Reached from
// any StoreTx through tx.queue().
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import type { Counts, GroupView, MemberStatus } from '../../shared/protocol';
import { CALL_ORDER } from '../../shared/queueOrder';
import { prepared } from './preparedQuery';
import { placePooledScan, type PooledScanArgs, type PooledScanPlaced } from './pgScan';
import type { GroupRow, Membership, ScanConflictRow } from './rows';

/** A member as stored: the name in full, for the queue layer to mask. */
export type MemberRecord = Omit<GroupView['members'][number], 'maskedName'> & { name: string };
/** A group as clients see it, but with its members' names as stored. */
export type GroupRecord = Omit<GroupView, 'members'> & { members: MemberRecord[] };

// ---- the statements of every scan, built and compiled once (preparedQuery) ----
const LOCK_POINT = prepared((db, dialect, code: string) => {
  // A point the current round left out takes no more people.
  const q = db.selectFrom('points').selectAll().where('code', '=', code).where('active', '=', 1);
  return dialect === 'postgres' ? q.forUpdate() : q;
});
const MEMBERSHIP = prepared((db, _d, roundId: number, residentId: number) =>
  db
    .selectFrom('members')
    .innerJoin('groups', 'groups.id', 'members.group_id')
    .innerJoin('points', 'points.id', 'groups.point_id')
    .select(['members.id as memberId', 'groups.label as groupLabel', 'points.code as point', 'members.scanned_at as at'])
    .where('members.round_id', '=', roundId)
    .where('members.resident_id', '=', residentId)
    .where('members.status', '<>', 'absent'),
);
const FORMING_GROUP = prepared((db, _d, roundId: number, pointId: number, priority: number) =>
  db
    .selectFrom('groups')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('members')
        .select((m) => m.fn.countAll<number>().as('n'))
        .whereRef('members.group_id', '=', 'groups.id')
        .where('members.status', '<>', 'absent')
        .as('size'),
    )
    .where('round_id', '=', roundId)
    .where('point_id', '=', pointId)
    .where('state', '=', 'forming')
    .where('kind', '=', 'pooled')
    .where('priority', '=', priority)
    // Household tubes (kiosk household mode) fill on their own.
    .where('id', 'not in', db.selectFrom('household_tubes').select('group_id'))
    .orderBy('id')
    .limit(1),
);
const ACTIVE_MEMBERS = prepared((db, _d, groupId: number) =>
  db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', groupId)
    .where('status', '<>', 'absent'),
);
const INSERT_MEMBER = prepared(
  (db, _d, group_id: number, round_id: number, resident_id: number, position: number, scanned_at: string, device: string, retest: number) =>
    db
      .insertInto('members')
      .values({ group_id, round_id, resident_id, position, scanned_at, device, retest, status: 'queued' })
      .returning('id'),
);
const COUNTS = prepared((db, _d, roundId: number) =>
  db
    .selectFrom('round_counts')
    .select((eb) => [
      eb.fn.sum<number>('registered').as('registered'),
      eb.fn.sum<number>('sampled').as('sampled'),
      eb
        .selectFrom('groups')
        .select((g) => g.fn.countAll<number>().as('n'))
        .where('round_id', '=', roundId)
        .where('state', '=', 'waiting')
        .as('waiting'),
    ])
    .where('round_id', '=', roundId),
);
/** One group and its members in one statement: a row per member, or one row with no member. */
const GROUP_WITH_MEMBERS = prepared((db, _d, id: number) =>
  db
    .selectFrom('groups')
    .innerJoin('points', 'points.id', 'groups.point_id')
    .leftJoin('members', 'members.group_id', 'groups.id')
    .leftJoin('residents', 'residents.id', 'members.resident_id')
    .leftJoin('hall_presence', 'hall_presence.member_id', 'members.id')
    .selectAll('groups')
    .select([
      'points.code as point',
      'members.id as member_id',
      'members.position',
      'members.status',
      'residents.name',
      'hall_presence.member_id as present',
    ])
    .where('groups.id', '=', id)
    .orderBy('members.position'),
);

/** A row of a group read with its members: one per member, the member's columns null for a group without any. */
export type GroupMemberRow = GroupRow & {
  point: string;
  member_id: number | null;
  position: number | null;
  status: MemberStatus | null;
  name: string | null;
  present: number | null;
};

type MemberRow = { id: number; group_id: number; position: number; status: MemberStatus; name: string; present: number | null };

export class QueueTx {
  constructor(
    private readonly tx: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Reads a point and, on PostgreSQL, locks it: scans at one point are placed one at a time. */
  async lockPoint(code: string) {
    return (await LOCK_POINT(this.tx, this.dialect, code))[0] ?? null;
  }

  async membership(roundId: number, residentId: number): Promise<Membership | null> {
    return (await MEMBERSHIP(this.tx, this.dialect, roundId, residentId))[0] ?? null;
  }

  /** The pooled group filling at a point (one for green-channel people, one for the rest), with how many are in it. */
  async formingGroup(roundId: number, pointId: number, priority: boolean) {
    const [row] = await FORMING_GROUP(this.tx, this.dialect, roundId, pointId, priority ? 1 : 0);
    return row ? { ...row, size: Number(row.size) } : null;
  }

  /** Reads a group and, on PostgreSQL, locks it. */
  async lockGroup(id: number) {
    let q = this.tx.selectFrom('groups').selectAll().where('id', '=', id);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) ?? null;
  }

  /**
   * Locks the group's point, then the group (PostgreSQL): a write that changes which group fills
   * at a point (an undo, a close) runs one at a time with the scans there, which take the point first.
   */
  async lockGroupAtPoint(id: number) {
    if (this.dialect === 'postgres') {
      // Two statements, so the point is locked before the group, in the order a scan takes them.
      await sql`select id from points where id = (select point_id from groups where id = ${id}) for update`.execute(this.tx);
    }
    return this.lockGroup(id);
  }

  async groupByTube(tubeCode: string) {
    return (await this.tx.selectFrom('groups').selectAll().where('tube_code', '=', tubeCode).executeTakeFirst()) ?? null;
  }

  async nextGroupSeq(roundId: number, pointId: number) {
    const row = await this.tx
      .selectFrom('groups')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('round_id', '=', roundId)
      .where('point_id', '=', pointId)
      .executeTakeFirst();
    return Number(row?.seq ?? 0) + 1;
  }

  async insertGroup(row: Omit<GroupRow, 'id'>) {
    const { id } = await this.tx.insertInto('groups').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  }

  async updateGroup(id: number, patch: Partial<Omit<GroupRow, 'id'>>) {
    await this.tx.updateTable('groups').set(patch).where('id', '=', id).execute();
  }

  async activeMemberCount(groupId: number) {
    return Number((await ACTIVE_MEMBERS(this.tx, this.dialect, groupId))[0].n);
  }

  /** retest 1, 2 …: a retest sample of a person on the lab's retest list (lab). */
  async insertMember(row: {
    group_id: number;
    round_id: number;
    resident_id: number;
    position: number;
    scanned_at: string;
    device: string;
    retest?: number;
  }) {
    const [{ id }] = await INSERT_MEMBER(
      this.tx,
      this.dialect,
      row.group_id,
      row.round_id,
      row.resident_id,
      row.position,
      row.scanned_at,
      row.device,
      row.retest ?? 0,
    );
    return id;
  }

  async memberById(id: number) {
    return (await this.tx.selectFrom('members').select(['id', 'group_id', 'status']).where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async setMemberStatus(id: number, status: MemberStatus) {
    await this.tx.updateTable('members').set({ status }).where('id', '=', id).execute();
  }

  async setGroupMembersSampled(groupId: number) {
    await this.tx
      .updateTable('members')
      .set({ status: 'sampled' })
      .where('group_id', '=', groupId)
      .where('status', '=', 'queued')
      .execute();
  }

  /** A cancelled group's people no longer hold a place this round (they may be scanned again). */
  async releaseGroupMembers(groupId: number) {
    await this.tx.updateTable('members').set({ status: 'absent' }).where('group_id', '=', groupId).where('status', '=', 'queued').execute();
  }

  /** The oldest waiting group at a point (priority groups first), locked. */
  async nextWaitingGroup(roundId: number, pointId: number) {
    let q = this.tx
      .selectFrom('groups')
      .selectAll()
      .where('round_id', '=', roundId)
      .where('point_id', '=', pointId)
      .where('state', '=', 'waiting');
    for (const { key, desc } of CALL_ORDER) q = q.orderBy(key, desc ? 'desc' : 'asc');
    q = q.limit(1);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) ?? null;
  }

  /** A member with the resident they stand for and the code of their group's point. */
  async memberWithResident(memberId: number) {
    const row = await this.tx
      .selectFrom('members')
      .innerJoin('groups', 'groups.id', 'members.group_id')
      .innerJoin('points', 'points.id', 'groups.point_id')
      .select(['members.id', 'members.group_id', 'members.status', 'members.resident_id', 'points.code as point'])
      .where('members.id', '=', memberId)
      .executeTakeFirst();
    if (!row) return null;
    const resident = await this.tx.selectFrom('residents').selectAll().where('id', '=', row.resident_id).executeTakeFirstOrThrow();
    return { id: row.id, group_id: row.group_id, status: row.status, point: row.point, resident };
  }

  async memberForRemoval(id: number) {
    return (
      (await this.tx
        .selectFrom('members')
        .innerJoin('residents', 'residents.id', 'members.resident_id')
        .select(['members.id', 'members.group_id', 'members.status', 'members.position', 'residents.uid as resident_uid'])
        .where('members.id', '=', id)
        .executeTakeFirst()) ?? null
    );
  }

  async deleteMember(id: number) {
    await this.tx.deleteFrom('members').where('id', '=', id).execute();
  }

  /** Positions 1..n again after a removal: present members in their order first, absent ones after. */
  async renumberMembers(groupId: number) {
    const members = await this.tx
      .selectFrom('members')
      .select(['id', 'position', 'status'])
      .where('group_id', '=', groupId)
      .orderBy('position')
      .orderBy('id')
      .execute();
    const ordered = [...members.filter((m) => m.status !== 'absent'), ...members.filter((m) => m.status === 'absent')];
    for (const [i, m] of ordered.entries()) {
      if (m.position !== i + 1)
        await this.tx
          .updateTable('members')
          .set({ position: i + 1 })
          .where('id', '=', m.id)
          .execute();
    }
  }

  async counts(roundId: number): Promise<Counts> {
    // People are counted by the database on every member write (migrations 0007, 0015): no recount of the round.
    const [row] = await COUNTS(this.tx, this.dialect, roundId);
    return { registered: Number(row?.registered ?? 0), sampled: Number(row?.sampled ?? 0), waitingGroups: Number(row?.waiting ?? 0) };
  }

  /** These groups as clients see them, names unmasked. */
  async groups(ids: number[]): Promise<GroupRecord[]> {
    if (ids.length === 0) return [];
    // One group (a scan's change) by one prepared statement; several by queries built for them.
    if (ids.length === 1) return this.groupFromRows(await GROUP_WITH_MEMBERS(this.tx, this.dialect, ids[0]));
    const groups = await this.tx
      .selectFrom('groups')
      .innerJoin('points', 'points.id', 'groups.point_id')
      .selectAll('groups')
      .select('points.code as point')
      .where('groups.id', 'in', ids)
      .orderBy('groups.id')
      .execute();
    return this.withMembers(groups);
  }

  /** One group from its rows of GROUP_WITH_MEMBERS' shape (a row per member; none: no such group). */
  async groupFromRows(rows: GroupMemberRow[]): Promise<GroupRecord[]> {
    if (rows.length === 0) return [];
    const { member_id: _m, position: _p, status: _s, name: _n, present: _h, ...group } = rows[0];
    const members = rows.flatMap((r): MemberRow[] =>
      r.member_id === null
        ? []
        : [
            {
              id: r.member_id,
              group_id: group.id,
              position: r.position!,
              status: r.status!,
              name: r.name!,
              present: r.present,
            },
          ],
    );
    return this.records([group], members);
  }

  /**
   * PostgreSQL: a plain pooled scan placed in one round trip (server/store/pgScan.ts). Null, with
   * nothing written, for any other case and always on SQLite: the caller places it step by step.
   */
  async pooledScan(args: PooledScanArgs): Promise<PooledScanPlaced | null> {
    return this.dialect === 'postgres' ? placePooledScan(this.tx, args) : null;
  }

  /** Groups still in the queue and the most recently sampled ones, names unmasked. */
  async liveGroups(roundId: number, recentSampled: number): Promise<GroupRecord[]> {
    const base = this.tx
      .selectFrom('groups')
      .innerJoin('points', 'points.id', 'groups.point_id')
      .selectAll('groups')
      .select('points.code as point')
      .where('groups.round_id', '=', roundId);
    const live = await base.where('groups.state', 'not in', ['sampled', 'cancelled']).orderBy('groups.id').execute();
    const done = await base.where('groups.state', '=', 'sampled').orderBy('groups.id', 'desc').limit(recentSampled).execute();
    return this.withMembers([...done.reverse(), ...live]);
  }

  private async withMembers(groups: (GroupRow & { point: string })[]): Promise<GroupRecord[]> {
    const members =
      groups.length === 0
        ? []
        : await this.tx
            .selectFrom('members')
            .innerJoin('residents', 'residents.id', 'members.resident_id')
            .leftJoin('hall_presence', 'hall_presence.member_id', 'members.id')
            .select([
              'members.id',
              'members.group_id',
              'members.position',
              'members.status',
              'residents.name',
              'hall_presence.member_id as present',
            ])
            .where(
              'members.group_id',
              'in',
              groups.map((g) => g.id),
            )
            .orderBy('members.position')
            .execute();
    return this.records(groups, members);
  }

  /** Groups with their members, names as stored (the queue layer masks them for the wire), and the desk of each called group. */
  private async records(groups: (GroupRow & { point: string })[], members: MemberRow[]): Promise<GroupRecord[]> {
    const byGroup = new Map<number, MemberRecord[]>();
    for (const m of members) {
      const list = byGroup.get(m.group_id) ?? [];
      list.push({ id: m.id, position: m.position, name: m.name, status: m.status, present: m.present !== null });
      byGroup.set(m.group_id, list);
    }
    // Only a group that has been called can have a desk: a scan's change needs no look-up.
    const called = groups.filter((g) => g.state !== 'forming' && g.state !== 'waiting').map((g) => g.id);
    const desks = new Map(
      (called.length === 0 ? [] : await this.tx.selectFrom('hall_desks').selectAll().where('group_id', 'in', called).execute()).map((d) => [
        d.group_id,
        d.desk,
      ]),
    );
    return groups.map((g) => ({
      id: g.id,
      label: g.label,
      point: g.point,
      kind: g.kind,
      poolSize: g.pool_size,
      state: g.state,
      priority: g.priority === 1,
      tubeCode: g.tube_code,
      members: byGroup.get(g.id) ?? [],
      createdAt: g.created_at,
      calledAt: g.called_at,
      sampledAt: g.sampled_at,
      desk: desks.get(g.id) ?? null,
    }));
  }

  /** The household tube filling at a point (household mode), locked on PostgreSQL. */
  async openHouseholdTube(roundId: number, pointId: number) {
    let q = this.tx
      .selectFrom('groups')
      .innerJoin('household_tubes', 'household_tubes.group_id', 'groups.id')
      .selectAll('groups')
      .select('household_tubes.household')
      .where('groups.round_id', '=', roundId)
      .where('groups.point_id', '=', pointId)
      .where('groups.state', '=', 'forming')
      .orderBy('groups.id', 'desc')
      .limit(1);
    if (this.dialect === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) return null;
    const { household, ...group } = row;
    return { group, household };
  }

  async markHouseholdTube(groupId: number, household: string) {
    await this.tx.insertInto('household_tubes').values({ group_id: groupId, household }).execute();
  }

  async insertScanConflict(row: Omit<ScanConflictRow, 'id'>) {
    await this.tx
      .insertInto('scan_conflicts')
      .values(row)
      .onConflict((oc) => oc.column('request_key').doNothing())
      .execute();
  }

  /** A round's conflicts with the resident's name and household, newest first. */
  async scanConflicts(roundId: number) {
    return this.tx
      .selectFrom('scan_conflicts')
      .innerJoin('residents', 'residents.id', 'scan_conflicts.resident_id')
      .selectAll('scan_conflicts')
      .select(['residents.name', 'residents.household'])
      .where('scan_conflicts.round_id', '=', roundId)
      .orderBy('scan_conflicts.id', 'desc')
      .execute();
  }
}
