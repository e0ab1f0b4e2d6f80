import { sql, type Kysely } from 'kysely';
import type { Connection, Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import type { Counts, GroupView, MemberStatus } from '../../shared/protocol';
import { maskName } from '../../shared/names';
import { LabTx } from './labStore';
import { TokenTx } from './tokenStore';
import { TeamsTx } from './teamStore';
import { nameInitials, type SearchQuery } from '../../shared/residentSearch';
import type { ScanConflictRow, GroupRow, Membership, NewResident, ResidentRow, RoundRow, SavedReply, Store, StoreTx } from './store';
import { insertResidentRows, residentsWithIdHashes } from './residentBulk';
import { prepared } from './preparedQuery';
import { inTransaction } from './transactionRunner';
import { finishChangePg, placePooledScan, type PooledScanArgs } from './pgScan';
import type { RoundResident } from './store';
import type { ScheduleSlot } from '../../shared/schedule';
import { HOME_POINT, TAG_VISIT_REASONS, type VisitReason, type VisitStatus } from '../../shared/homeVisits';
import { naturalCompare } from '../../shared/naturalOrder';
import { CALL_ORDER } from '../../shared/queueOrder';

type Tx = Kysely<Database>;

/** Search columns derived from the name, written with it so a query never recomputes them. */
function withInitials<R extends { name: string }>(row: R): R & { name_initials: string } {
  return { ...row, name_initials: nameInitials(row.name) };
}

const MAX_ATTEMPTS = 4;
const CHUNK = 500;
/** Grouped writes in one transaction at most: bounds how long one commit keeps the others waiting. */
const MAX_GROUP = 100;

/** Errors that mean "another transaction got there first": the whole write is tried again. */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '23505' || code === '40001' || code === '40P01' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

interface GroupedWrite {
  fn: (tx: StoreTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Runs a group's writes, each in a savepoint of its own: on failure only its own statements are undone
 * (and, after a lost race, tried again). On PostgreSQL one savepoint's release and the next one's start
 * go in one round trip, and the commit ends the last one.
 */
async function inSavepoints(tx: Tx, dialect: Dialect, runs: (() => Promise<unknown>)[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let open = false;
  const start = async () => {
    if (!open) await sql`savepoint grouped_write`.execute(tx);
    else if (dialect === 'postgres') await sql.raw('release savepoint grouped_write; savepoint grouped_write').execute(tx);
    else {
      await sql`release savepoint grouped_write`.execute(tx);
      await sql`savepoint grouped_write`.execute(tx);
    }
    open = true;
  };
  for (const run of runs) {
    for (let attempt = 1; ; attempt++) {
      await start();
      try {
        outcomes.push({ ok: true, value: await run() });
        break;
      } catch (err) {
        // The savepoint stays open after the rollback: the next start releases it.
        await sql`rollback to savepoint grouped_write`.execute(tx);
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) {
          outcomes.push({ ok: false, err });
          break;
        }
      }
    }
  }
  return outcomes;
}

// ---- the statements of every scan, built and compiled once (preparedQuery) ----
const REPLY = prepared((db, _d, key: string) => db.selectFrom('requests').select(['reply', 'request_hash']).where('key', '=', key));
const SAVE_REPLY = prepared((db, _d, key: string, reply: string, at: string, hash: string | null) =>
  db.insertInto('requests').values({ key, reply, created_at: at, request_hash: hash }));
const RESIDENT_BY_UID = prepared((db, _d, uid: string) => db.selectFrom('residents').selectAll().where('uid', '=', uid));
const RESIDENT_BY_ID_HASH = prepared((db, _d, hash: string) => db.selectFrom('residents').selectAll().where('id_hash', '=', hash));
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
  /** The open round as this transaction last read it: every queue write asks, often twice. */
  private round: Promise<RoundRow | null> | null = null;

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

  async residentByUid(uid: string) {
    return (await RESIDENT_BY_UID(this.tx, this.dialect, uid))[0] ?? null;
  }

  async residentByIdHash(hash: string) {
    return (await RESIDENT_BY_ID_HASH(this.tx, this.dialect, hash))[0] ?? null;
  }

  async residentsByIdHash(hashes: string[]): Promise<ResidentRow[]> {
    return residentsWithIdHashes(this.tx, this.dialect, hashes);
  }

  async insertResidents(rows: NewResident[]) {
    await insertResidentRows(this.tx, this.dialect, rows);
  }

  async insertResident(row: NewResident) {
    return this.tx.insertInto('residents').values(withInitials(row)).returningAll().executeTakeFirstOrThrow();
  }

  async updateResident(id: number, row: Partial<NewResident>) {
    await this.tx.updateTable('residents').set(row.name === undefined ? row : withInitials({ ...row, name: row.name })).where('id', '=', id).execute();
  }

  currentRound() {
    this.round ??= this.tx.selectFrom('rounds').selectAll().where('closed_at', 'is', null)
      .orderBy('id', 'desc').limit(1).executeTakeFirst().then((r) => r ?? null, (err: unknown) => {
        this.round = null;
        throw err;
      });
    return this.round;
  }

  async openRound(name: string, date: string, at: string) {
    this.round = null;
    return this.tx.insertInto('rounds').values({ name, date, opened_at: at, closed_at: null })
      .returningAll().executeTakeFirstOrThrow();
  }

  async points() {
    // The reserved home-sampling point holds home tubes; nobody queues there.
    return this.tx.selectFrom('points').selectAll().where('code', '<>', HOME_POINT).where('active', '=', 1).orderBy('code').execute();
  }

  async insertPoint(code: string, name: string, poolSize: number, at: string) {
    await this.tx.insertInto('points').values({ code, name, pool_size: poolSize, created_at: at })
      .onConflict((oc) => oc.column('code').doNothing()).execute();
  }

  async lockPoint(code: string) {
    return (await LOCK_POINT(this.tx, this.dialect, code))[0] ?? null;
  }

  async pooledScan(args: PooledScanArgs) {
    return this.dialect === 'postgres' ? placePooledScan(this.tx, args) : null;
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

  async finishChange(roundId: number, saved: SavedReply | null, groupIds: number[]) {
    if (this.dialect !== 'postgres' || groupIds.length > 1) {
      const groups = await this.groupViews(groupIds);
      if (saved) await this.saveReply(saved.key, saved.reply, saved.at, saved.requestHash);
      const counts = await this.counts(roundId);
      return { groups, counts, version: await this.bumpVersion() };
    }
    const rows = await finishChangePg(this.tx, roundId, saved, groupIds[0] ?? null);
    const [first] = rows;
    const counts = { registered: Number(first.registered ?? 0), sampled: Number(first.sampled ?? 0), waitingGroups: Number(first.waiting) };
    if (first.id === null || first.id === undefined) return { groups: [], counts, version: Number(first.version) };
    const { member_id: _m, position: _p, status: _s, name: _n, present: _h, registered: _r, sampled: _d, waiting: _w, version: _v, ...group } = first;
    const members = rows.flatMap((r): MemberRow[] => (r.member_id === null ? [] : [{
      id: r.member_id, group_id: first.id!, position: r.position!, status: r.status!, name: r.name!, present: r.present,
    }]));
    return { groups: await this.views([group as GroupRow & { point: string }], members), counts, version: Number(first.version) };
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

  async buildings() {
    const rows = await this.tx.selectFrom('residents')
      .select(['building', (eb) => eb.fn.count<number>('household').distinct().as('households'), (eb) => eb.fn.countAll<number>().as('residents')])
      .groupBy('building').execute();
    return rows
      .map((r) => ({ building: r.building, households: Number(r.households), residents: Number(r.residents) }))
      .sort((a, b) => naturalCompare(a.building, b.building));
  }

  async residentsOfBuilding(building: string) {
    return this.tx.selectFrom('residents').selectAll().where('building', '=', building).execute();
  }

  async residentsTagged(tag: string) {
    // Tags are stored as a JSON array of words: the quoted word matches that tag alone.
    return this.tx.selectFrom('residents').selectAll().where('tags', 'like', `%${JSON.stringify(tag)}%`).orderBy('id').execute();
  }
  // ---- hall ----
  async indoorDesks(roundId: number, pointId: number) {
    const rows = await this.tx.selectFrom('groups').leftJoin('hall_desks', 'hall_desks.group_id', 'groups.id')
      .select('hall_desks.desk').where('groups.round_id', '=', roundId).where('groups.point_id', '=', pointId)
      .where('groups.state', 'in', ['called', 'sampling']).execute();
    return rows.map((r) => r.desk);
  }

  async setGroupDesk(groupId: number, desk: number | null) {
    await this.tx.deleteFrom('hall_desks').where('group_id', '=', groupId).execute();
    if (desk !== null) await this.tx.insertInto('hall_desks').values({ group_id: groupId, desk }).execute();
  }

  async setMemberPresent(memberId: number, present: boolean) {
    await this.tx.deleteFrom('hall_presence').where('member_id', '=', memberId).execute();
    if (present) await this.tx.insertInto('hall_presence').values({ member_id: memberId }).execute();
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
  // ---- lab ----
  lab() {
    return new LabTx(this.tx, this.dialect);
  }
  // ---- access tokens ----
  tokens() {
    return new TokenTx(this.tx);
  }
  // ---- home-sampling teams ----
  teams() {
    return new TeamsTx(this.tx);
  }
  // ---- kiosk search and undo ----
  async searchResidents(query: SearchQuery, limit: number) {
    let q = this.tx.selectFrom('residents').selectAll();
    if (query.kind === 'initials') q = q.where('name_initials', 'like', `${query.initials}%`);
    if (query.kind === 'name') q = q.where('name', 'like', `%${query.text}%`);
    if (query.kind === 'room') {
      const [building, second, third] = query.parts;
      q = q.where((eb) => {
        if (third !== undefined) return eb.and([eb('building', '=', building), eb('unit', '=', second), eb('room', 'like', `${third}%`)]);
        // 3-2 is building 3 unit 2 (or a prefix of such a household); 3-501 is room 501 of building 3, any unit.
        if (second !== undefined) return eb.or([eb('household', 'like', `${building}-${second}%`), eb.and([eb('building', '=', building), eb('room', 'like', `${second}%`)])]);
        return eb.or([eb('building', '=', building), eb('room', 'like', `${building}%`)]);
      });
    }
    return q.orderBy('building').orderBy('household').orderBy('name').limit(limit).execute();
  }

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
  async closeRound(id: number, at: string) {
    this.round = null;
    await this.tx.updateTable('rounds').set({ closed_at: at }).where('id', '=', id).where('closed_at', 'is', null).execute();
  }

  async rounds() {
    const rows = await this.tx.selectFrom('rounds').selectAll('rounds')
      .select((eb) => eb.selectFrom('members').select((m) => m.fn.countAll<number>().as('n'))
        .whereRef('members.round_id', '=', 'rounds.id').where('members.status', '=', 'sampled').as('sampled'))
      .orderBy('id', 'desc').execute();
    return rows.map((r) => ({ ...r, sampled: Number(r.sampled ?? 0) }));
  }

  async setPointsOfRound(points: { code: string; name: string; poolSize: number }[], at: string) {
    await this.tx.updateTable('points').set({ active: 0 }).where('code', 'not in', [...points.map((p) => p.code), HOME_POINT]).execute();
    for (const p of points) {
      await this.tx.insertInto('points').values({ code: p.code, name: p.name, pool_size: p.poolSize, created_at: at })
        .onConflict((oc) => oc.column('code').doUpdateSet({ name: p.name, pool_size: p.poolSize, active: 1 })).execute();
    }
  }

  async ensurePoint(code: string, name: string, at: string) {
    await this.tx.insertInto('points').values({ code, name, pool_size: 1, created_at: at })
      .onConflict((oc) => oc.column('code').doNothing()).execute();
    return this.tx.selectFrom('points').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
  }

  async roundResidents(roundId: number, building?: string) {
    let q = this.tx.selectFrom('residents')
      .leftJoin('members', (join) => join.onRef('members.resident_id', '=', 'residents.id')
        .on('members.round_id', '=', roundId).on('members.status', '<>', 'absent'))
      .select(['residents.id', 'residents.name', 'residents.building', 'residents.unit', 'residents.room',
        'residents.household', 'residents.tags', 'residents.phone_enc', 'members.status'])
      .orderBy('residents.id');
    if (building !== undefined) q = q.where('residents.building', '=', building);
    // A person may have a second live sample (a retest): one row each, sampled if any sample is.
    const byId = new Map<number, RoundResident>();
    for (const r of await q.execute()) {
      const status = r.status === 'sampled' || r.status === 'queued' ? r.status : null;
      const prior = byId.get(r.id);
      if (!prior || status === 'sampled' || (status && !prior.status)) byId.set(r.id, { ...r, status });
    }
    return [...byId.values()];
  }

  async sampledTimes(roundId: number) {
    const rows = await this.tx.selectFrom('members').innerJoin('groups', 'groups.id', 'members.group_id')
      .select('groups.sampled_at').where('members.round_id', '=', roundId).where('members.status', '=', 'sampled').execute();
    return rows.flatMap((r) => (r.sampled_at ? [r.sampled_at] : []));
  }

  async scheduleSlots(roundId: number) {
    const rows = await this.tx.selectFrom('schedule_slots').selectAll().where('round_id', '=', roundId)
      .orderBy('starts_at').orderBy('id').execute();
    return rows.map((r) => ({ building: r.building, point: r.point, start: r.starts_at, end: r.ends_at }));
  }

  async replaceSchedule(roundId: number, slots: ScheduleSlot[]) {
    await this.tx.deleteFrom('schedule_slots').where('round_id', '=', roundId).execute();
    if (slots.length === 0) return;
    await this.tx.insertInto('schedule_slots')
      .values(slots.map((s) => ({ round_id: roundId, building: s.building, point: s.point, starts_at: s.start, ends_at: s.end })))
      .execute();
  }

  async insertHomeVisits(rows: { round_id: number; resident_id: number; reason: VisitReason; updated_at: string }[]) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.tx.insertInto('home_visits').values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, team: null, status: 'pending' as const, group_id: null })))
        .onConflict((oc) => oc.columns(['round_id', 'resident_id']).doNothing()).execute();
    }
  }

  private visitQuery() {
    return this.tx.selectFrom('home_visits')
      .innerJoin('residents', 'residents.id', 'home_visits.resident_id')
      .leftJoin('groups', 'groups.id', 'home_visits.group_id')
      .select(['home_visits.id', 'home_visits.resident_id', 'residents.name', 'residents.building', 'residents.unit',
        'residents.room', 'residents.household', 'home_visits.reason', 'home_visits.team'])
      // Sampled anywhere is done everywhere: someone who came to a kiosk after all needs no team at the door.
      .select((eb) => {
        const sampledTube = eb.selectFrom('members as m').innerJoin('groups as g', 'g.id', 'm.group_id').select('g.tube_code')
          .whereRef('m.round_id', '=', 'home_visits.round_id').whereRef('m.resident_id', '=', 'home_visits.resident_id')
          .where('m.status', '=', 'sampled')
          // A retest visit is done by the retest sample only, not by the pooled one that sent them to retest.
          .where((w) => w.or([w('home_visits.reason', '<>', 'retest'), w('m.retest', '>', 0)]))
          .limit(1);
        return [
          sql<VisitStatus>`case when ${eb.exists(sampledTube)} then 'done' else home_visits.status end`.as('status'),
          eb.fn.coalesce('groups.tube_code', sampledTube).as('tube_code'),
        ];
      })
      .orderBy('residents.building').orderBy('residents.household').orderBy('residents.id');
  }

  async homeVisits(roundId: number, team?: string) {
    let q = this.visitQuery().where('home_visits.round_id', '=', roundId);
    if (team !== undefined) q = q.where('home_visits.team', '=', team);
    return q.execute();
  }

  async homeVisitsOf(roundId: number, residentIds: number[]) {
    if (residentIds.length === 0) return [];
    return this.visitQuery().where('home_visits.round_id', '=', roundId).where('home_visits.resident_id', 'in', residentIds).execute();
  }

  async homeVisitsByIds(roundId: number, ids: number[]) {
    if (ids.length === 0) return [];
    return this.visitQuery().where('home_visits.round_id', '=', roundId).where('home_visits.id', 'in', ids).execute();
  }

  async syncTaggedVisits(roundId: number, at: string) {
    // Tags are a JSON array of words: '"sealed"' (with its quotes) matches that tag only.
    const reasonOf = (tags: ReturnType<typeof sql.ref>) =>
      sql<string | null>`case ${sql.join(TAG_VISIT_REASONS.map((r) => sql`when ${tags} like ${`%"${r}"%`} then ${r}`), sql` `)} end`;
    const tagged = sql.join(TAG_VISIT_REASONS.map((r) => sql.lit(r)));
    // Not yet sampled, and never a visit staff added (staff, retest): those follow the tags.
    const followsTags = sql`home_visits.round_id = ${roundId} and home_visits.reason in (${tagged}) and home_visits.status <> 'done' and home_visits.group_id is null`;
    await sql`delete from home_visits where ${followsTags}
      and exists (select 1 from residents r where r.id = home_visits.resident_id and ${reasonOf(sql.ref('r.tags'))} is null)`.execute(this.tx);
    await sql`update home_visits set reason = (select ${reasonOf(sql.ref('r.tags'))} from residents r where r.id = home_visits.resident_id), updated_at = ${at}
      where ${followsTags}
      and exists (select 1 from residents r where r.id = home_visits.resident_id and ${reasonOf(sql.ref('r.tags'))} <> home_visits.reason)`.execute(this.tx);
    // Someone already placed at a point this round needs no visit.
    await sql`insert into home_visits (round_id, resident_id, reason, team, status, group_id, updated_at)
      select ${roundId}, r.id, ${reasonOf(sql.ref('r.tags'))}, null, 'pending', null, ${at} from residents r
      where ${reasonOf(sql.ref('r.tags'))} is not null
      and not exists (select 1 from members m where m.round_id = ${roundId} and m.resident_id = r.id and m.status <> 'absent')
      on conflict (round_id, resident_id) do nothing`.execute(this.tx);
  }

  async updateHomeVisits(ids: number[], patch: { team?: string | null; status?: VisitStatus; reason?: VisitReason; group_id?: number | null; updated_at: string }) {
    const result = await this.tx.updateTable('home_visits').set(patch).where('id', 'in', ids).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteHomeVisits(ids: number[]) {
    await this.tx.deleteFrom('home_visits').where('id', 'in', ids).execute();
  }

  async residentsOfHouseholds(households: string[]) {
    if (households.length === 0) return [];
    return this.tx.selectFrom('residents').selectAll().where('household', 'in', households).orderBy('id').execute();
  }

  async samplingRecords(roundId: number) {
    const rows = await this.tx.selectFrom('members')
      .innerJoin('groups', 'groups.id', 'members.group_id')
      .innerJoin('points', 'points.id', 'groups.point_id')
      .innerJoin('residents', 'residents.id', 'members.resident_id')
      .select(['members.group_id', 'residents.name', 'residents.id_type', 'residents.id_enc', 'residents.nationality', 'residents.phone_enc', 'residents.building',
        'residents.unit', 'residents.room', 'groups.tube_code', 'groups.sampled_at', 'groups.kind',
        'points.code as point_code', 'points.name as point_name'])
      .where('members.round_id', '=', roundId).where('members.status', '=', 'sampled')
      .orderBy('groups.sampled_at').orderBy('members.group_id').orderBy('members.position').execute();
    const inTube = new Map<number, number>();
    for (const r of rows) inTube.set(r.group_id, (inTube.get(r.group_id) ?? 0) + 1);
    return rows.map(({ group_id, ...r }) => ({ ...r, in_tube: inTube.get(group_id) ?? 0 }));
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

  constructor(private readonly conn: Connection) {
    this.dialect = conn.dialect;
  }

  static async open(conn: Connection): Promise<KyselyStore> {
    await conn.db.insertInto('counters').values({ name: 'version', value: 0 })
      .onConflict((oc) => oc.column('name').doNothing()).execute();
    return new KyselyStore(conn);
  }

  async write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.conn.db, (tx) => fn(new KyselyTx(tx, this.dialect)));
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
      }
    }
  }

  private grouped: GroupedWrite[] = [];
  private draining = false;

  writeGrouped<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.grouped.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // After the current I/O callbacks: every write that arrived with this one joins its group.
      setImmediate(() => void this.drainGrouped());
    });
  }

  /** One transaction per group of queued writes, until none is left; writes queued meanwhile form the next group. */
  private async drainGrouped(): Promise<void> {
    while (this.grouped.length > 0) {
      const group = this.grouped.splice(0, MAX_GROUP);
      if (group.length === 1) {
        // Alone: a plain transaction, without the savepoint's two extra statements.
        const [write] = group;
        await this.write(write.fn).then(write.resolve, write.reject);
        continue;
      }
      let outcomes: Outcome[] = [];
      try {
        await inTransaction(this.conn.db, async (tx) => {
          const store = new KyselyTx(tx, this.dialect);
          outcomes = await inSavepoints(tx, this.dialect, group.map((write) => () => write.fn(store)));
        });
      } catch (err) {
        // The commit (or the connection) failed: nothing of this group was written.
        for (const write of group) write.reject(err);
        continue;
      }
      group.forEach((write, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.err);
      });
    }
    this.draining = false;
  }

  async read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    // One snapshot for all the statements, so a version and the groups it describes agree.
    const isolation = this.dialect === 'postgres' ? 'repeatable read' as const : undefined;
    return inTransaction(this.conn.db, (tx) => fn(new KyselyTx(tx, this.dialect)), { isolation });
  }

  async close() {
    await this.conn.db.destroy();
  }
}

