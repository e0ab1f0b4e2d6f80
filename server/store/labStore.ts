// Storage of the lab feature inside one transaction: boxes, results, the retest list.
// Reached from any StoreTx through tx.lab(), so lab writes join the queue's transactions.
import type { Selectable, Kysely } from 'kysely';
import type { Dialect } from '../db/connect';
import type { AuditTable, Database } from '../db/schema';
import type { RetestReason, SampleFacts, TubeResult } from '../../shared/labResults';
import type { TubeFacts } from '../../shared/tubeStates';
import type { BoxesTable } from '../db/labTables';

export type BoxRow = Selectable<BoxesTable>;

export interface TubeRow extends TubeFacts {
  groupId: number;
  groupLabel: string;
  kind: 'pooled' | 'single';
  people: number;
  result: TubeResult | null;
}

export interface RetestRow {
  residentId: number;
  name: string;
  building: string;
  unit: string;
  room: string;
  phoneEnc: string | null;
  reason: RetestReason;
  tubeCode: string;
  done: boolean;
}

export type AuditRow = Selectable<AuditTable>;

/** A sampled member's tube: its facts for the result rules, and where and when it was sealed. */
export type Sample = SampleFacts & { tubeCode: string; groupLabel: string; sampledAt: string };

export class LabTx {
  constructor(
    private readonly tx: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Why and for which attempt the resident must give a retest sample this round, while they have not given it yet. */
  async pendingRetest(roundId: number, residentId: number): Promise<{ reason: RetestReason; attempt: number } | null> {
    const row = await this.tx
      .selectFrom('retests')
      .select(['reason', 'attempt'])
      .where('retests.round_id', '=', roundId)
      .where('retests.resident_id', '=', residentId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('members')
              .select('members.id')
              .where('members.round_id', '=', roundId)
              .where('members.resident_id', '=', residentId)
              .whereRef('members.retest', '=', 'retests.attempt')
              .where('members.status', '<>', 'absent'),
          ),
        ),
      )
      .executeTakeFirst();
    return row ?? null;
  }

  async box(roundId: number, code: string, lock = false): Promise<BoxRow | null> {
    let q = this.tx.selectFrom('boxes').selectAll().where('round_id', '=', roundId).where('code', '=', code);
    if (lock && this.dialect === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) ?? null;
  }

  async insertBox(roundId: number, code: string, at: string): Promise<BoxRow> {
    return this.tx
      .insertInto('boxes')
      .values({
        round_id: roundId,
        code,
        state: 'open',
        opened_at: at,
        closed_at: null,
        courier_name: null,
        courier_phone_enc: null,
        handed_over_at: null,
        receiver_name: null,
        received_count: null,
        received_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updateBox(id: number, patch: Partial<Omit<BoxRow, 'id'>>): Promise<void> {
    await this.tx.updateTable('boxes').set(patch).where('id', '=', id).execute();
  }

  async boxOfTube(groupId: number): Promise<string | null> {
    const row = await this.tx
      .selectFrom('box_tubes')
      .innerJoin('boxes', 'boxes.id', 'box_tubes.box_id')
      .select('boxes.code')
      .where('box_tubes.group_id', '=', groupId)
      .executeTakeFirst();
    return row?.code ?? null;
  }

  async addTube(boxId: number, groupId: number, at: string): Promise<void> {
    await this.tx.insertInto('box_tubes').values({ box_id: boxId, group_id: groupId, added_at: at }).execute();
  }

  async tubeCount(boxId: number): Promise<number> {
    const row = await this.tx
      .selectFrom('box_tubes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('box_id', '=', boxId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async boxes(roundId: number): Promise<(BoxRow & { tubes: string[] })[]> {
    const boxes = await this.tx.selectFrom('boxes').selectAll().where('round_id', '=', roundId).orderBy('id').execute();
    const tubes = await this.tx
      .selectFrom('box_tubes')
      .innerJoin('boxes', 'boxes.id', 'box_tubes.box_id')
      .innerJoin('groups', 'groups.id', 'box_tubes.group_id')
      .select(['box_tubes.box_id', 'groups.tube_code'])
      .where('boxes.round_id', '=', roundId)
      .orderBy('box_tubes.added_at')
      .orderBy('groups.id')
      .execute();
    return boxes.map((b) => ({ ...b, tubes: tubes.filter((t) => t.box_id === b.id).map((t) => t.tube_code ?? '') }));
  }

  /** Every sealed tube of the round, with how far it got; one tube when groupId is given. */
  async tubes(roundId: number, groupId?: number): Promise<TubeRow[]> {
    let q = this.tx
      .selectFrom('groups')
      .leftJoin('box_tubes', 'box_tubes.group_id', 'groups.id')
      .leftJoin('boxes', 'boxes.id', 'box_tubes.box_id')
      .leftJoin('tube_results', 'tube_results.group_id', 'groups.id')
      .select((eb) => [
        'groups.id',
        'groups.label',
        'groups.kind',
        'groups.tube_code',
        'groups.sampled_at',
        'boxes.code as box',
        'boxes.handed_over_at',
        'boxes.received_at',
        'tube_results.result',
        'tube_results.resulted_at',
        eb
          .selectFrom('members')
          .select((m) => m.fn.countAll<number>().as('n'))
          .whereRef('members.group_id', '=', 'groups.id')
          .where('members.status', '=', 'sampled')
          .as('people'),
      ])
      .where('groups.round_id', '=', roundId)
      .where('groups.state', '=', 'sampled')
      .where('groups.tube_code', 'is not', null);
    if (groupId !== undefined) q = q.where('groups.id', '=', groupId);
    const rows = await q.orderBy('groups.id').execute();
    return rows.map((r) => ({
      groupId: r.id,
      groupLabel: r.label,
      kind: r.kind,
      people: Number(r.people ?? 0),
      tubeCode: r.tube_code ?? '',
      sealedAt: r.sampled_at ?? '',
      boxCode: r.box,
      handedOverAt: r.handed_over_at,
      receivedAt: r.received_at,
      resultedAt: r.resulted_at,
      result: r.result,
    }));
  }

  async insertResult(groupId: number, result: TubeResult, at: string): Promise<void> {
    await this.tx.insertInto('tube_results').values({ group_id: groupId, result, resulted_at: at }).execute();
  }

  /** The people sampled into a tube, and which sample of theirs it is (0: the round's, 1 …: a retest). */
  async sampledMembers(groupId: number): Promise<{ residentId: number; retest: number }[]> {
    const rows = await this.tx
      .selectFrom('members')
      .select(['resident_id', 'retest'])
      .where('group_id', '=', groupId)
      .where('status', '=', 'sampled')
      .execute();
    return rows.map((r) => ({ residentId: r.resident_id, retest: r.retest }));
  }

  /** Puts a resident on the round's retest list for an attempt; false when they already are on it for that attempt or a later one. */
  async addRetest(
    roundId: number,
    residentId: number,
    reason: RetestReason,
    groupId: number,
    attempt: number,
    at: string,
  ): Promise<boolean> {
    const result = await this.tx
      .insertInto('retests')
      .values({ round_id: roundId, resident_id: residentId, reason, group_id: groupId, attempt, created_at: at })
      .onConflict((oc) =>
        oc
          .columns(['round_id', 'resident_id'])
          .doUpdateSet({ reason, group_id: groupId, attempt, created_at: at })
          .where('retests.attempt', '<', attempt),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async retests(roundId: number): Promise<RetestRow[]> {
    const rows = await this.tx
      .selectFrom('retests')
      .innerJoin('residents', 'residents.id', 'retests.resident_id')
      .innerJoin('groups', 'groups.id', 'retests.group_id')
      .select((eb) => [
        'residents.id',
        'residents.name',
        'residents.building',
        'residents.unit',
        'residents.room',
        'residents.phone_enc',
        'retests.reason',
        'groups.tube_code',
        eb
          .exists(
            eb
              .selectFrom('members')
              .select('members.id')
              .whereRef('members.resident_id', '=', 'retests.resident_id')
              .whereRef('members.round_id', '=', 'retests.round_id')
              .whereRef('members.retest', '=', 'retests.attempt')
              .where('members.status', '=', 'sampled'),
          )
          .as('done'),
      ])
      .where('retests.round_id', '=', roundId)
      .execute();
    return rows.map((r) => ({
      residentId: r.id,
      name: r.name,
      building: r.building,
      unit: r.unit,
      room: r.room,
      phoneEnc: r.phone_enc,
      reason: r.reason,
      tubeCode: r.tube_code ?? '',
      done: Boolean(r.done),
    }));
  }

  /** Every sampled person's tubes this round (of one resident when given), for their result. */
  async samples(roundId: number, residentId?: number): Promise<Map<number, Sample[]>> {
    let q = this.tx
      .selectFrom('members')
      .innerJoin('groups', 'groups.id', 'members.group_id')
      .leftJoin('tube_results', 'tube_results.group_id', 'groups.id')
      .select([
        'members.resident_id',
        'members.retest',
        'groups.kind',
        'groups.tube_code',
        'groups.label',
        'groups.sampled_at',
        'tube_results.result',
      ])
      .where('members.round_id', '=', roundId)
      .where('members.status', '=', 'sampled');
    if (residentId !== undefined) q = q.where('members.resident_id', '=', residentId);
    const out = new Map<number, Sample[]>();
    for (const r of await q.orderBy('members.id').execute()) {
      const list = out.get(r.resident_id) ?? [];
      list.push({
        kind: r.kind,
        retest: r.retest,
        result: r.result,
        tubeCode: r.tube_code ?? '',
        groupLabel: r.label,
        sampledAt: r.sampled_at ?? '',
      });
      out.set(r.resident_id, list);
    }
    return out;
  }

  async residentsById(ids: number[]) {
    if (ids.length === 0) return [];
    return this.tx.selectFrom('residents').select(['id', 'name', 'building', 'unit', 'room', 'phone_enc']).where('id', 'in', ids).execute();
  }

  async auditRows(): Promise<AuditRow[]> {
    return this.tx.selectFrom('audit').selectAll().orderBy('id').execute();
  }
}
