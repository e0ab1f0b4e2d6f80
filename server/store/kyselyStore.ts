import { sql, type Kysely } from 'kysely';
import type { Connection, Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import type { Counts, GroupView, MemberStatus } from '../../shared/protocol';
import { maskName } from '../../shared/names';
import { LabTx } from './labStore';
import { TokenTx } from './tokenStore';
import { TeamsTx } from './teamStore';
import type { ScanConflictRow, GroupRow, Membership, Store, StoreTx } from './store';
import { ResidentsTx } from './residentStore';
import { HallTx } from './hallStore';
import { RoundsTx } from './roundStore';
import { HomeVisitsTx } from './homeVisitStore';
import { prepared } from './preparedQuery';
import { TransactionRunner } from './transactionRunner';
import { CALL_ORDER } from '../../shared/queueOrder';

type Tx = Kysely<Database>;

// ---- the statements of every scan, built and compiled once (preparedQuery) ----
const REPLY = prepared((db, _d, key: string) => db.selectFrom('requests').select(['reply', 'request_hash']).where('key', '=', key));
const SAVE_REPLY = prepared((db, _d, key: string, reply: string, at: string, hash: string | null) =>
  db.insertInto('requests').values({ key, reply, created_at: at, request_hash: hash }));
const LOCK_POINT = prepared((db, dialect, code: string) => {
  // A point the current round left out takes no more people.
  const q = db.selectFrom('points').selectAll().where('code', '=', code).where('active', '=', 1);
  return dialect === 'postgres' ? q.forUpdate() : q;
});
const MEMBERSHIP = prepared((db, _d, roundId: number, residentId: number) => db.selectFrom('members')
  .innerJoin('groups', 'groups.id', 'members.group_id')
  .innerJoin('points', 'points.id', 'groups.point_id')
  .select(['members.id as memberId', 'groups.label as groupLabel', 'points.code as point', 'members.scanned_at as at'])
  .where('members.round_id', '=', roundId).where('members.resident_id', '=', residentId)
  .where('members.status', '<>', 'absent'));
const FORMING_GROUP = prepared((db, _d, roundId: number, pointId: number, priority: number) => db.selectFrom('groups').selectAll()
  .select((eb) => eb.selectFrom('members').select((m) => m.fn.countAll<number>().as('n'))
    .whereRef('members.group_id', '=', 'groups.id').where('members.status', '<>', 'absent').as('size'))
  .where('round_id', '=', roundId).where('point_id', '=', pointId)
  .where('state', '=', 'forming').where('kind', '=', 'pooled').where('priority', '=', priority)
  // Household tubes (kiosk household mode) fill on their own.
  .where('id', 'not in', db.selectFrom('household_tubes').select('group_id'))
  .orderBy('id').limit(1));
const ACTIVE_MEMBERS = prepared((db, _d, groupId: number) => db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n'))
  .where('group_id', '=', groupId).where('status', '<>', 'absent'));
const INSERT_MEMBER = prepared((db, _d, group_id: number, round_id: number, resident_id: number, position: number, scanned_at: string, device: string, retest: number) =>
  db.insertInto('members').values({ group_id, round_id, resident_id, position, scanned_at, device, retest, status: 'queued' }).returning('id'));
const AUDIT = prepared((db, _d, role: string, device: string, action: string, subject: string, detail: string, at: string) =>
  db.insertInto('audit').values({ role, device, action, subject, detail, at }));
const BUMP_VERSION = prepared((db) => db.updateTable('counters').set((eb) => ({ value: eb('value', '+', 1) }))
  .where('name', '=', 'version').returning('value'));
const COUNTS = prepared((db, _d, roundId: number) => db.selectFrom('round_counts').select(['registered', 'sampled', (eb) => eb.selectFrom('groups')
  .select((g) => g.fn.countAll<number>().as('n')).where('round_id', '=', roundId).where('state', '=', 'waiting').as('waiting')])
  .where('round_id', '=', roundId));
/** One group and its members in one statement: a row per member, or one row with no member. */
const GROUP_WITH_MEMBERS = prepared((db, _d, id: number) => db.selectFrom('groups').innerJoin('points', 'points.id', 'groups.point_id')
  .leftJoin('members', 'members.group_id', 'groups.id')
  .leftJoin('residents', 'residents.id', 'members.resident_id')
  .leftJoin('hall_presence', 'hall_presence.member_id', 'members.id')
  .selectAll('groups')
  .select(['points.code as point', 'members.id as member_id', 'members.position', 'members.status', 'residents.name', 'hall_presence.member_id as present'])
  .where('groups.id', '=', id).orderBy('members.position'));

type MemberRow = { id: number; group_id: number; position: number; status: MemberStatus; name: string; present: number | null };

class KyselyTx implements StoreTx {
  private roundsTx: RoundsTx | undefined;
  private homeVisitsTx: HomeVisitsTx | undefined;
  private residentsTx: ResidentsTx | undefined;
  private hallTx: HallTx | undefined;

  constructor(private readonly tx: Tx, private readonly dialect: Dialect) {}

  async setting(key: string) {
    return (await this.tx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
  }

  async putSetting(key: string, value: string, overwrite: boolean) {
    const result = await this.tx.insertInto('settings').values({ key, value })
      .onConflict((oc) => (overwrite ? oc.column('key').doUpdateSet({ value }) : oc.column('key').doNothing()))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async findReply(key: string) {
    const [row] = await REPLY(this.tx, this.dialect, key);
    return row ? { reply: row.reply, requestHash: row.request_hash } : null;
  }

  async saveReply(key: string, reply: string, at: string, requestHash: string | null) {
    await SAVE_REPLY(this.tx, this.dialect, key, reply, at, requestHash);
  }

  async lockPoint(code: string) {
    return (await LOCK_POINT(this.tx, this.dialect, code))[0] ?? null;
  }

  async membership(roundId: number, residentId: number): Promise<Membership | null> {
    return (await MEMBERSHIP(this.tx, this.dialect, roundId, residentId))[0] ?? null;
  }

  async formingGroup(roundId: number, pointId: number, priority: boolean) {
    const [row] = await FORMING_GROUP(this.tx, this.dialect, roundId, pointId, priority ? 1 : 0);
    return row ? { ...row, size: Number(row.size) } : null;
  }

  async lockGroup(id: number) {
    let q = this.tx.selectFrom('groups').selectAll().where('id', '=', id);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) ?? null;
  }

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
    const row = await this.tx.selectFrom('groups').select((eb) => eb.fn.max('seq').as('seq'))
      .where('round_id', '=', roundId).where('point_id', '=', pointId).executeTakeFirst();
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

  async insertMember(row: { group_id: number; round_id: number; resident_id: number; position: number; scanned_at: string; device: string; retest?: number }) {
    const [{ id }] = await INSERT_MEMBER(this.tx, this.dialect, row.group_id, row.round_id, row.resident_id, row.position, row.scanned_at, row.device, row.retest ?? 0);
    return id;
  }

  async memberById(id: number) {
    return (await this.tx.selectFrom('members').select(['id', 'group_id', 'status']).where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async setMemberStatus(id: number, status: MemberStatus) {
    await this.tx.updateTable('members').set({ status }).where('id', '=', id).execute();
  }

  async setGroupMembersSampled(groupId: number) {
    await this.tx.updateTable('members').set({ status: 'sampled' })
      .where('group_id', '=', groupId).where('status', '=', 'queued').execute();
  }

  async releaseGroupMembers(groupId: number) {
    await this.tx.updateTable('members').set({ status: 'absent' })
      .where('group_id', '=', groupId).where('status', '=', 'queued').execute();
  }

  async nextWaitingGroup(roundId: number, pointId: number) {
    let q = this.tx.selectFrom('groups').selectAll()
      .where('round_id', '=', roundId).where('point_id', '=', pointId).where('state', '=', 'waiting');
    for (const { key, desc } of CALL_ORDER) q = q.orderBy(key, desc ? 'desc' : 'asc');
    q = q.limit(1);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) ?? null;
  }

  async bumpVersion() {
    return Number((await BUMP_VERSION(this.tx, this.dialect))[0].value);
  }

  async version() {
    const row = await this.tx.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirst();
    return Number(row?.value ?? 0);
  }

  async groupViews(ids: number[]) {
    if (ids.length === 0) return [];
    // One group (a scan's change) by one prepared statement; several by queries built for them.
    if (ids.length === 1) {
      const rows = await GROUP_WITH_MEMBERS(this.tx, this.dialect, ids[0]);
      if (rows.length === 0) return [];
      const { member_id: _m, position: _p, status: _s, name: _n, present: _h, ...group } = rows[0];
      const members = rows.flatMap((r): MemberRow[] => (r.member_id === null ? [] : [{
        id: r.member_id, group_id: group.id, position: r.position!, status: r.status!, name: r.name!, present: r.present,
      }]));
      return this.views([group], members);
    }
    const groups = await this.tx.selectFrom('groups').innerJoin('points', 'points.id', 'groups.point_id')
      .selectAll('groups').select('points.code as point').where('groups.id', 'in', ids).orderBy('groups.id').execute();
    return this.withMembers(groups);
  }

  async liveGroupViews(roundId: number, recentSampled: number) {
    const base = this.tx.selectFrom('groups').innerJoin('points', 'points.id', 'groups.point_id')
      .selectAll('groups').select('points.code as point').where('groups.round_id', '=', roundId);
    const live = await base.where('groups.state', 'not in', ['sampled', 'cancelled']).orderBy('groups.id').execute();
    const done = await base.where('groups.state', '=', 'sampled').orderBy('groups.id', 'desc').limit(recentSampled).execute();
    return this.withMembers([...done.reverse(), ...live]);
  }

  private async withMembers(groups: (GroupRow & { point: string })[]): Promise<GroupView[]> {
    const members = groups.length === 0 ? [] : await this.tx.selectFrom('members')
      .innerJoin('residents', 'residents.id', 'members.resident_id')
      .leftJoin('hall_presence', 'hall_presence.member_id', 'members.id')
      .select(['members.id', 'members.group_id', 'members.position', 'members.status', 'residents.name', 'hall_presence.member_id as present'])
      .where('members.group_id', 'in', groups.map((g) => g.id))
      .orderBy('members.position').execute();
    return this.views(groups, members);
  }

  /** Group views from groups and their members (names masked here), with the desk of each called group. */
  private async views(groups: (GroupRow & { point: string })[], members: MemberRow[]): Promise<GroupView[]> {
    const byGroup = new Map<number, GroupView['members']>();
    for (const m of members) {
      const list = byGroup.get(m.group_id) ?? [];
      list.push({ id: m.id, position: m.position, maskedName: maskName(m.name), status: m.status, present: m.present !== null });
      byGroup.set(m.group_id, list);
    }
    // Only a group that has been called can have a desk: a scan's change needs no look-up.
    const called = groups.filter((g) => g.state !== 'forming' && g.state !== 'waiting').map((g) => g.id);
    const desks = new Map((called.length === 0 ? [] : await this.tx.selectFrom('hall_desks').selectAll()
      .where('group_id', 'in', called).execute()).map((d) => [d.group_id, d.desk]));
    return groups.map((g) => ({
      id: g.id, label: g.label, point: g.point, kind: g.kind, poolSize: g.pool_size, state: g.state,
      priority: g.priority === 1, tubeCode: g.tube_code, members: byGroup.get(g.id) ?? [],
      createdAt: g.created_at, calledAt: g.called_at, sampledAt: g.sampled_at, desk: desks.get(g.id) ?? null,
    }));
  }

  async counts(roundId: number): Promise<Counts> {
    // People are counted by the database on every member write (migration 0007): no recount of the round.
    const [row] = await COUNTS(this.tx, this.dialect, roundId);
    return { registered: Number(row?.registered ?? 0), sampled: Number(row?.sampled ?? 0), waitingGroups: Number(row?.waiting ?? 0) };
  }

  async audit(entry: { role: string; device: string; action: string; subject: string; detail: string }, at: string) {
    await AUDIT(this.tx, this.dialect, entry.role, entry.device, entry.action, entry.subject, entry.detail, at);
  }

  // ---- hall ----
  hall() {
    return this.hallTx ??= new HallTx(this.tx);
  }

  async memberWithResident(memberId: number) {
    const row = await this.tx.selectFrom('members')
      .innerJoin('groups', 'groups.id', 'members.group_id').innerJoin('points', 'points.id', 'groups.point_id')
      .select(['members.id', 'members.group_id', 'members.status', 'members.resident_id', 'points.code as point'])
      .where('members.id', '=', memberId).executeTakeFirst();
    if (!row) return null;
    const resident = await this.tx.selectFrom('residents').selectAll().where('id', '=', row.resident_id).executeTakeFirstOrThrow();
    return { id: row.id, group_id: row.group_id, status: row.status, point: row.point, resident };
  }
  // ---- residents ----
  residents() {
    return this.residentsTx ??= new ResidentsTx(this.tx, this.dialect);
  }
  // ---- lab ----
  lab() {
    return new LabTx(this.tx, this.dialect);
  }
  // ---- access tokens ----
  tokens() {
    return new TokenTx(this.tx);
  }
  // ---- home visits ----
  homeVisits() {
    return this.homeVisitsTx ??= new HomeVisitsTx(this.tx);
  }
  // ---- home-sampling teams ----
  teams() {
    return new TeamsTx(this.tx);
  }
  // ---- kiosk search and undo ----
  async memberForRemoval(id: number) {
    return (await this.tx.selectFrom('members').innerJoin('residents', 'residents.id', 'members.resident_id')
      .select(['members.id', 'members.group_id', 'members.status', 'members.position', 'residents.uid as resident_uid'])
      .where('members.id', '=', id).executeTakeFirst()) ?? null;
  }

  async deleteMember(id: number) {
    await this.tx.deleteFrom('members').where('id', '=', id).execute();
  }

  async renumberMembers(groupId: number) {
    const members = await this.tx.selectFrom('members').select(['id', 'position', 'status'])
      .where('group_id', '=', groupId).orderBy('position').orderBy('id').execute();
    const ordered = [...members.filter((m) => m.status !== 'absent'), ...members.filter((m) => m.status === 'absent')];
    for (const [i, m] of ordered.entries()) {
      if (m.position !== i + 1) await this.tx.updateTable('members').set({ position: i + 1 }).where('id', '=', m.id).execute();
    }
  }
  // ---- rounds and coverage ----
  rounds() {
    return this.roundsTx ??= new RoundsTx(this.tx);
  }

  // ---- kiosk tubes and offline outbox ----
  async openHouseholdTube(roundId: number, pointId: number) {
    let q = this.tx.selectFrom('groups').innerJoin('household_tubes', 'household_tubes.group_id', 'groups.id')
      .selectAll('groups').select('household_tubes.household')
      .where('groups.round_id', '=', roundId).where('groups.point_id', '=', pointId).where('groups.state', '=', 'forming')
      .orderBy('groups.id', 'desc').limit(1);
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
    await this.tx.insertInto('scan_conflicts').values(row).onConflict((oc) => oc.column('request_key').doNothing()).execute();
  }

  async scanConflicts(roundId: number) {
    return this.tx.selectFrom('scan_conflicts').innerJoin('residents', 'residents.id', 'scan_conflicts.resident_id')
      .selectAll('scan_conflicts').select(['residents.name', 'residents.household'])
      .where('scan_conflicts.round_id', '=', roundId).orderBy('scan_conflicts.id', 'desc').execute();
  }
  // (feature sections above this line)
}

export class KyselyStore implements Store {
  readonly dialect: Dialect;
  private readonly runner: TransactionRunner<StoreTx>;

  constructor(private readonly conn: Connection) {
    this.dialect = conn.dialect;
    this.runner = new TransactionRunner<StoreTx>(conn.db, conn.dialect, (tx) => new KyselyTx(tx, conn.dialect));
  }

  static async open(conn: Connection): Promise<KyselyStore> {
    await conn.db.insertInto('counters').values({ name: 'version', value: 0 })
      .onConflict((oc) => oc.column('name').doNothing()).execute();
    return new KyselyStore(conn);
  }

  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.runner.write(fn);
  }

  writeGrouped<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.runner.writeGrouped(fn);
  }

  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.runner.read(fn);
  }

  async close() {
    await this.conn.db.destroy();
  }
}
