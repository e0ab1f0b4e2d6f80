import type { Transaction } from 'kysely';
import type { Connection, Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import type { Counts, GroupView, MemberStatus } from '../../shared/protocol';
import { maskName } from '../../shared/names';
import type { GroupRow, Membership, NewResident, ResidentRow, Store, StoreTx } from './store';

type Tx = Transaction<Database>;

const MAX_ATTEMPTS = 4;
const CHUNK = 500;

/** Errors that mean "another transaction got there first": the whole write is tried again. */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '23505' || code === '40001' || code === '40P01' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

class KyselyTx implements StoreTx {
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
    const row = await this.tx.selectFrom('requests').select('reply').where('key', '=', key).executeTakeFirst();
    return row?.reply ?? null;
  }

  async saveReply(key: string, reply: string, at: string) {
    await this.tx.insertInto('requests').values({ key, reply, created_at: at }).execute();
  }

  async residentByUid(uid: string) {
    return (await this.tx.selectFrom('residents').selectAll().where('uid', '=', uid).executeTakeFirst()) ?? null;
  }

  async residentByIdHash(hash: string) {
    return (await this.tx.selectFrom('residents').selectAll().where('id_hash', '=', hash).executeTakeFirst()) ?? null;
  }

  async residentsByIdHash(hashes: string[]) {
    const out: ResidentRow[] = [];
    for (let i = 0; i < hashes.length; i += CHUNK) {
      out.push(...(await this.tx.selectFrom('residents').selectAll().where('id_hash', 'in', hashes.slice(i, i + CHUNK)).execute()));
    }
    return out;
  }

  async insertResidents(rows: NewResident[]) {
    // SQLite allows 32,766 bound values a statement; 15 columns × 500 rows stays well under.
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.tx.insertInto('residents').values(rows.slice(i, i + CHUNK)).execute();
    }
  }

  async insertResident(row: NewResident) {
    return this.tx.insertInto('residents').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async updateResident(id: number, row: Partial<NewResident>) {
    await this.tx.updateTable('residents').set(row).where('id', '=', id).execute();
  }

  async currentRound() {
    return (await this.tx.selectFrom('rounds').selectAll().where('closed_at', 'is', null)
      .orderBy('id', 'desc').limit(1).executeTakeFirst()) ?? null;
  }

  async openRound(name: string, date: string, at: string) {
    return this.tx.insertInto('rounds').values({ name, date, opened_at: at, closed_at: null })
      .returningAll().executeTakeFirstOrThrow();
  }

  async points() {
    return this.tx.selectFrom('points').selectAll().orderBy('code').execute();
  }

  async insertPoint(code: string, name: string, poolSize: number, at: string) {
    await this.tx.insertInto('points').values({ code, name, pool_size: poolSize, created_at: at })
      .onConflict((oc) => oc.column('code').doNothing()).execute();
  }

  async lockPoint(code: string) {
    let q = this.tx.selectFrom('points').selectAll().where('code', '=', code);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) ?? null;
  }

  async membership(roundId: number, residentId: number): Promise<Membership | null> {
    const row = await this.tx.selectFrom('members')
      .innerJoin('groups', 'groups.id', 'members.group_id')
      .innerJoin('points', 'points.id', 'groups.point_id')
      .select(['members.id as memberId', 'groups.label as groupLabel', 'points.code as point', 'members.scanned_at as at'])
      .where('members.round_id', '=', roundId).where('members.resident_id', '=', residentId)
      .where('members.status', '<>', 'absent')
      .executeTakeFirst();
    return row ?? null;
  }

  async formingGroup(roundId: number, pointId: number, priority: boolean) {
    return (await this.tx.selectFrom('groups').selectAll()
      .where('round_id', '=', roundId).where('point_id', '=', pointId)
      .where('state', '=', 'forming').where('kind', '=', 'pooled').where('priority', '=', priority ? 1 : 0)
      .orderBy('id').limit(1).executeTakeFirst()) ?? null;
  }

  async lockGroup(id: number) {
    let q = this.tx.selectFrom('groups').selectAll().where('id', '=', id);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) ?? null;
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
    const row = await this.tx.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('group_id', '=', groupId).where('status', '<>', 'absent').executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertMember(row: { group_id: number; round_id: number; resident_id: number; position: number; scanned_at: string; device: string }) {
    const { id } = await this.tx.insertInto('members').values({ ...row, status: 'queued' }).returning('id').executeTakeFirstOrThrow();
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

  async nextWaitingGroup(roundId: number, pointId: number) {
    let q = this.tx.selectFrom('groups').selectAll()
      .where('round_id', '=', roundId).where('point_id', '=', pointId).where('state', '=', 'waiting')
      .orderBy('priority', 'desc').orderBy('id').limit(1);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) ?? null;
  }

  async bumpVersion() {
    const row = await this.tx.updateTable('counters').set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', 'version').returning('value').executeTakeFirstOrThrow();
    return Number(row.value);
  }

  async version() {
    const row = await this.tx.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirst();
    return Number(row?.value ?? 0);
  }

  async groupViews(ids: number[]) {
    if (ids.length === 0) return [];
    const groups = await this.tx.selectFrom('groups').innerJoin('points', 'points.id', 'groups.point_id')
      .selectAll('groups').select('points.code as point').where('groups.id', 'in', ids).orderBy('groups.id').execute();
    return this.withMembers(groups);
  }

  async liveGroupViews(roundId: number, recentSampled: number) {
    const base = this.tx.selectFrom('groups').innerJoin('points', 'points.id', 'groups.point_id')
      .selectAll('groups').select('points.code as point').where('groups.round_id', '=', roundId);
    const live = await base.where('groups.state', '<>', 'sampled').orderBy('groups.id').execute();
    const done = await base.where('groups.state', '=', 'sampled').orderBy('groups.id', 'desc').limit(recentSampled).execute();
    return this.withMembers([...done.reverse(), ...live]);
  }

  private async withMembers(groups: (GroupRow & { point: string })[]): Promise<GroupView[]> {
    const members = groups.length === 0 ? [] : await this.tx.selectFrom('members')
      .innerJoin('residents', 'residents.id', 'members.resident_id')
      .select(['members.id', 'members.group_id', 'members.position', 'members.status', 'residents.name'])
      .where('members.group_id', 'in', groups.map((g) => g.id))
      .orderBy('members.position').execute();
    const byGroup = new Map<number, GroupView['members']>();
    for (const m of members) {
      const list = byGroup.get(m.group_id) ?? [];
      list.push({ id: m.id, position: m.position, maskedName: maskName(m.name), status: m.status });
      byGroup.set(m.group_id, list);
    }
    return groups.map((g) => ({
      id: g.id, label: g.label, point: g.point, kind: g.kind, poolSize: g.pool_size, state: g.state,
      priority: g.priority === 1, tubeCode: g.tube_code, members: byGroup.get(g.id) ?? [],
      createdAt: g.created_at, calledAt: g.called_at, sampledAt: g.sampled_at,
    }));
  }

  async counts(roundId: number): Promise<Counts> {
    const members = await this.tx.selectFrom('members')
      .select([
        (eb) => eb.fn.countAll<number>().filterWhere('status', '<>', 'absent').as('registered'),
        (eb) => eb.fn.countAll<number>().filterWhere('status', '=', 'sampled').as('sampled'),
      ])
      .where('round_id', '=', roundId).executeTakeFirstOrThrow();
    const waiting = await this.tx.selectFrom('groups').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('round_id', '=', roundId).where('state', '=', 'waiting').executeTakeFirstOrThrow();
    return { registered: Number(members.registered), sampled: Number(members.sampled), waitingGroups: Number(waiting.n) };
  }

  async audit(entry: { role: string; device: string; action: string; subject: string; detail: string }, at: string) {
    await this.tx.insertInto('audit').values({ ...entry, at }).execute();
  }

  async buildings() {
    const rows = await this.tx.selectFrom('residents')
      .select(['building', (eb) => eb.fn.count<number>('household').distinct().as('households'), (eb) => eb.fn.countAll<number>().as('residents')])
      .groupBy('building').execute();
    return rows
      .map((r) => ({ building: r.building, households: Number(r.households), residents: Number(r.residents) }))
      .sort((a, b) => a.building.localeCompare(b.building, 'zh-CN', { numeric: true }));
  }

  async residentsOfBuilding(building: string) {
    return this.tx.selectFrom('residents').selectAll().where('building', '=', building).execute();
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
        return await this.conn.db.transaction().execute((tx) => fn(new KyselyTx(tx, this.dialect)));
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
      }
    }
  }

  async read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const t = this.conn.db.transaction();
    // One snapshot for all the statements, so a version and the groups it describes agree.
    const consistent = this.dialect === 'postgres' ? t.setIsolationLevel('repeatable read') : t;
    return consistent.execute((tx) => fn(new KyselyTx(tx, this.dialect)));
  }

  async close() {
    await this.conn.db.destroy();
  }
}

