// Storage of rounds, their sampling points and schedule, and what coverage and the specimen
// records read of a round, inside one transaction. Reached from any StoreTx through tx.rounds().
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { IdType } from '../../shared/idTypes';
import type { ScheduleSlot } from '../../shared/schedule';
import { HOME_POINT } from '../../shared/homeVisits';
import type { PointRow, RoundRow } from './rows';

export interface RoundResident {
  id: number;
  name: string;
  building: string;
  unit: string;
  room: string;
  household: string;
  tags: string;
  phone_enc: string | null;
  /** The live member status this round: sampled, queued in a group, or null (not yet). */
  status: 'sampled' | 'queued' | null;
}

export interface SamplingRecordRow {
  name: string;
  id_type: IdType;
  id_enc: string;
  nationality: string;
  phone_enc: string | null;
  building: string;
  unit: string;
  room: string;
  tube_code: string | null;
  sampled_at: string | null;
  point_code: string;
  point_name: string;
  kind: string;
  /** People sampled into the same tube. */
  in_tube: number;
}

export class RoundsTx {
  /** The open round as this transaction last read it: every queue write asks, often twice. */
  private round: Promise<RoundRow | null> | null = null;

  constructor(private readonly tx: Kysely<Database>) {}

  current(): Promise<RoundRow | null> {
    this.round ??= this.tx
      .selectFrom('rounds')
      .selectAll()
      .where('closed_at', 'is', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
      .then(
        (r) => r ?? null,
        (err: unknown) => {
          this.round = null;
          throw err;
        },
      );
    return this.round;
  }

  async open(name: string, date: string, at: string): Promise<RoundRow> {
    this.round = null;
    return this.tx.insertInto('rounds').values({ name, date, opened_at: at, closed_at: null }).returningAll().executeTakeFirstOrThrow();
  }

  async close(id: number, at: string): Promise<void> {
    this.round = null;
    await this.tx.updateTable('rounds').set({ closed_at: at }).where('id', '=', id).where('closed_at', 'is', null).execute();
  }

  /** Every round, newest first, with how many people were sampled in it. */
  async all(): Promise<(RoundRow & { sampled: number })[]> {
    const rows = await this.tx
      .selectFrom('rounds')
      .selectAll('rounds')
      .select((eb) =>
        eb
          .selectFrom('members')
          .select((m) => m.fn.countAll<number>().as('n'))
          .whereRef('members.round_id', '=', 'rounds.id')
          .where('members.status', '=', 'sampled')
          .as('sampled'),
      )
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({ ...r, sampled: Number(r.sampled ?? 0) }));
  }

  /** The round's sampling points, by code. */
  async points(): Promise<PointRow[]> {
    // The reserved home-sampling point holds home tubes; nobody queues there.
    return this.tx.selectFrom('points').selectAll().where('code', '<>', HOME_POINT).where('active', '=', 1).orderBy('code').execute();
  }

  async insertPoint(code: string, name: string, poolSize: number, at: string): Promise<void> {
    await this.tx
      .insertInto('points')
      .values({ code, name, pool_size: poolSize, created_at: at })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }

  /** The round's sampling points: added or renamed and resized; points left out take no more people. */
  async setPoints(points: { code: string; name: string; poolSize: number }[], at: string): Promise<void> {
    await this.tx
      .updateTable('points')
      .set({ active: 0 })
      .where('code', 'not in', [...points.map((p) => p.code), HOME_POINT])
      .execute();
    for (const p of points) {
      await this.tx
        .insertInto('points')
        .values({ code: p.code, name: p.name, pool_size: p.poolSize, created_at: at })
        .onConflict((oc) => oc.column('code').doUpdateSet({ name: p.name, pool_size: p.poolSize, active: 1 }))
        .execute();
    }
  }

  /** The point by code, created when missing (the reserved home-sampling point). */
  async ensurePoint(code: string, name: string, at: string): Promise<PointRow> {
    await this.tx
      .insertInto('points')
      .values({ code, name, pool_size: 1, created_at: at })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    return this.tx.selectFrom('points').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
  }

  /** Every roster resident with their live place this round (null: not yet). */
  async residents(roundId: number, building?: string): Promise<RoundResident[]> {
    let q = this.tx
      .selectFrom('residents')
      .leftJoin('members', (join) =>
        join.onRef('members.resident_id', '=', 'residents.id').on('members.round_id', '=', roundId).on('members.status', '<>', 'absent'),
      )
      .select([
        'residents.id',
        'residents.name',
        'residents.building',
        'residents.unit',
        'residents.room',
        'residents.household',
        'residents.tags',
        'residents.phone_enc',
        'members.status',
      ])
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

  /** When each sampled member of the round was sampled (their tube's sealing time). */
  async sampledTimes(roundId: number): Promise<string[]> {
    const rows = await this.tx
      .selectFrom('members')
      .innerJoin('groups', 'groups.id', 'members.group_id')
      .select('groups.sampled_at')
      .where('members.round_id', '=', roundId)
      .where('members.status', '=', 'sampled')
      .execute();
    return rows.flatMap((r) => (r.sampled_at ? [r.sampled_at] : []));
  }

  async schedule(roundId: number): Promise<ScheduleSlot[]> {
    const rows = await this.tx
      .selectFrom('schedule_slots')
      .selectAll()
      .where('round_id', '=', roundId)
      .orderBy('starts_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ building: r.building, point: r.point, start: r.starts_at, end: r.ends_at }));
  }

  async replaceSchedule(roundId: number, slots: ScheduleSlot[]): Promise<void> {
    await this.tx.deleteFrom('schedule_slots').where('round_id', '=', roundId).execute();
    if (slots.length === 0) return;
    await this.tx
      .insertInto('schedule_slots')
      .values(slots.map((s) => ({ round_id: roundId, building: s.building, point: s.point, starts_at: s.start, ends_at: s.end })))
      .execute();
  }

  /** Sampled members of the round with their tube and point, for the specimen records. */
  async samplingRecords(roundId: number): Promise<SamplingRecordRow[]> {
    const rows = await this.tx
      .selectFrom('members')
      .innerJoin('groups', 'groups.id', 'members.group_id')
      .innerJoin('points', 'points.id', 'groups.point_id')
      .innerJoin('residents', 'residents.id', 'members.resident_id')
      .select([
        'members.group_id',
        'residents.name',
        'residents.id_type',
        'residents.id_enc',
        'residents.nationality',
        'residents.phone_enc',
        'residents.building',
        'residents.unit',
        'residents.room',
        'groups.tube_code',
        'groups.sampled_at',
        'groups.kind',
        'points.code as point_code',
        'points.name as point_name',
      ])
      .where('members.round_id', '=', roundId)
      .where('members.status', '=', 'sampled')
      .orderBy('groups.sampled_at')
      .orderBy('members.group_id')
      .orderBy('members.position')
      .execute();
    const inTube = new Map<number, number>();
    for (const r of rows) inTube.set(r.group_id, (inTube.get(r.group_id) ?? 0) + 1);
    return rows.map(({ group_id, ...r }) => ({ ...r, in_tube: inTube.get(group_id) ?? 0 }));
  }
}
