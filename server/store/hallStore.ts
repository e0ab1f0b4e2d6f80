// Storage of the hall inside one transaction: the desk of each called group and the members ticked
// off at the door. Reached from any StoreTx through tx.hall(); the hall's settings are settings.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export class HallTx {
  constructor(private readonly tx: Kysely<Database>) {}

  /** The desk of each group indoors (called or sampling) at a point; null for one called without a desk. */
  async indoorDesks(roundId: number, pointId: number): Promise<(number | null)[]> {
    const rows = await this.tx
      .selectFrom('groups')
      .leftJoin('hall_desks', 'hall_desks.group_id', 'groups.id')
      .select('hall_desks.desk')
      .where('groups.round_id', '=', roundId)
      .where('groups.point_id', '=', pointId)
      .where('groups.state', 'in', ['called', 'sampling'])
      .execute();
    return rows.map((r) => r.desk);
  }

  async setDesk(groupId: number, desk: number | null): Promise<void> {
    await this.tx.deleteFrom('hall_desks').where('group_id', '=', groupId).execute();
    if (desk !== null) await this.tx.insertInto('hall_desks').values({ group_id: groupId, desk }).execute();
  }

  async setPresent(memberId: number, present: boolean): Promise<void> {
    await this.tx.deleteFrom('hall_presence').where('member_id', '=', memberId).execute();
    if (present) await this.tx.insertInto('hall_presence').values({ member_id: memberId }).execute();
  }
}
