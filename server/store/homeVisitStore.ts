// Storage of the round's home-visit list inside one transaction: who a team visits at home, why,
// and how far the visit got. Reached from any StoreTx through tx.homeVisits().
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { TAG_VISIT_REASONS, type VisitReason, type VisitStatus } from '../../shared/homeVisits';

/** Rows inserted a statement at most. */
const CHUNK = 500;

export interface HomeVisitRow {
  id: number;
  resident_id: number;
  name: string;
  building: string;
  unit: string;
  room: string;
  household: string;
  reason: VisitReason;
  team: string | null;
  status: VisitStatus;
  tube_code: string | null;
}

export class HomeVisitsTx {
  constructor(private readonly tx: Kysely<Database>) {}

  /** Adds people to the visit list; those already on it keep their entry. */
  async insert(rows: { round_id: number; resident_id: number; reason: VisitReason; updated_at: string }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.tx
        .insertInto('home_visits')
        .values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, team: null, status: 'pending' as const, group_id: null })))
        .onConflict((oc) => oc.columns(['round_id', 'resident_id']).doNothing())
        .execute();
    }
  }

  private visitQuery() {
    return (
      this.tx
        .selectFrom('home_visits')
        .innerJoin('residents', 'residents.id', 'home_visits.resident_id')
        .leftJoin('groups', 'groups.id', 'home_visits.group_id')
        .select([
          'home_visits.id',
          'home_visits.resident_id',
          'residents.name',
          'residents.building',
          'residents.unit',
          'residents.room',
          'residents.household',
          'home_visits.reason',
          'home_visits.team',
        ])
        // Sampled anywhere is done everywhere: someone who came to a kiosk after all needs no team at the door.
        .select((eb) => {
          const sampledTube = eb
            .selectFrom('members as m')
            .innerJoin('groups as g', 'g.id', 'm.group_id')
            .select('g.tube_code')
            .whereRef('m.round_id', '=', 'home_visits.round_id')
            .whereRef('m.resident_id', '=', 'home_visits.resident_id')
            .where('m.status', '=', 'sampled')
            // A retest visit is done by the retest sample only, not by the pooled one that sent them to retest.
            .where((w) => w.or([w('home_visits.reason', '<>', 'retest'), w('m.retest', '>', 0)]))
            .limit(1);
          return [
            sql<VisitStatus>`case when ${eb.exists(sampledTube)} then 'done' else home_visits.status end`.as('status'),
            eb.fn.coalesce('groups.tube_code', sampledTube).as('tube_code'),
          ];
        })
        .orderBy('residents.building')
        .orderBy('residents.household')
        .orderBy('residents.id')
    );
  }

  /** The round's visit list (one team's when given). */
  async list(roundId: number, team?: string): Promise<HomeVisitRow[]> {
    let q = this.visitQuery().where('home_visits.round_id', '=', roundId);
    if (team !== undefined) q = q.where('home_visits.team', '=', team);
    return q.execute();
  }

  /** The round's visits of these residents (those on the list). */
  async ofResidents(roundId: number, residentIds: number[]): Promise<HomeVisitRow[]> {
    if (residentIds.length === 0) return [];
    return this.visitQuery().where('home_visits.round_id', '=', roundId).where('home_visits.resident_id', 'in', residentIds).execute();
  }

  /** The round's visits with these ids (those that exist). */
  async byIds(roundId: number, ids: number[]): Promise<HomeVisitRow[]> {
    if (ids.length === 0) return [];
    return this.visitQuery().where('home_visits.round_id', '=', roundId).where('home_visits.id', 'in', ids).execute();
  }

  /**
   * The round's visit list follows the roster's tags, in a few set-based statements: tagged residents
   * not yet placed this round join it; a tag-derived visit not yet sampled takes its resident's
   * current reason, or leaves the list once their tags call for none. Run when a roster is imported,
   * a round opens, and at start-up; never on a read.
   */
  async syncTagged(roundId: number, at: string): Promise<void> {
    // Tags are a JSON array of words: '"sealed"' (with its quotes) matches that tag only.
    const reasonOf = (tags: ReturnType<typeof sql.ref>) =>
      sql<string | null>`case ${sql.join(
        TAG_VISIT_REASONS.map((r) => sql`when ${tags} like ${`%"${r}"%`} then ${r}`),
        sql` `,
      )} end`;
    const tagged = sql.join(TAG_VISIT_REASONS.map((r) => sql.lit(r)));
    // Not yet sampled, and never a visit staff added (staff, retest): those follow the tags.
    const followsTags = sql`home_visits.round_id = ${roundId} and home_visits.reason in (${tagged}) and home_visits.status <> 'done' and home_visits.group_id is null`;
    await sql`delete from home_visits where ${followsTags}
      and exists (select 1 from residents r where r.id = home_visits.resident_id and ${reasonOf(sql.ref('r.tags'))} is null)`.execute(
      this.tx,
    );
    await sql`update home_visits set reason = (select ${reasonOf(sql.ref('r.tags'))} from residents r where r.id = home_visits.resident_id), updated_at = ${at}
      where ${followsTags}
      and exists (select 1 from residents r where r.id = home_visits.resident_id and ${reasonOf(sql.ref('r.tags'))} <> home_visits.reason)`.execute(
      this.tx,
    );
    // Someone already placed at a point this round needs no visit.
    await sql`insert into home_visits (round_id, resident_id, reason, team, status, group_id, updated_at)
      select ${roundId}, r.id, ${reasonOf(sql.ref('r.tags'))}, null, 'pending', null, ${at} from residents r
      where ${reasonOf(sql.ref('r.tags'))} is not null
      and not exists (select 1 from members m where m.round_id = ${roundId} and m.resident_id = r.id and m.status <> 'absent')
      on conflict (round_id, resident_id) do nothing`.execute(this.tx);
  }

  /** Returns how many visits it changed. */
  async update(
    ids: number[],
    patch: { team?: string | null; status?: VisitStatus; reason?: VisitReason; group_id?: number | null; updated_at: string },
  ): Promise<number> {
    const result = await this.tx.updateTable('home_visits').set(patch).where('id', 'in', ids).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async delete(ids: number[]): Promise<void> {
    await this.tx.deleteFrom('home_visits').where('id', 'in', ids).execute();
  }
}
