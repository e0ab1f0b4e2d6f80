// PostgreSQL: the scan path in few round trips. A pooled scan is placed by one call of
// natq_pooled_scan (migration 0014) instead of a dozen statements with the point's row lock held
// across them; a write's end is two: the version with the reply, then the group and the counts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { MemberStatus } from '../../shared/protocol';
import type { GroupRow, SavedReply } from './rows';
import { routeFor } from '../../shared/routing';
import { hasPriority, TAGS } from '../../shared/tags';

/** Tags that send a person anywhere but a pooled tube (shared/routing.ts): their scans are placed by the node. */
export const OTHER_ROUTE_TAGS: string[] = TAGS.filter((t) => routeFor([t]) !== 'pooled');
/** Tags that fill green-channel groups (shared/tags.ts). */
export const PRIORITY_TAG_LIST: string[] = TAGS.filter((t) => hasPriority([t]));

export interface PooledScanArgs {
  /** The resident by the code's uid, or else by the ID number's hash. */
  uid: string | null;
  idHash: string | null;
  point: string;
  scannedAt: string;
  at: string;
  role: string;
  device: string;
}

/** A scan the database placed: who, and where in which group. */
export interface PooledScanPlaced {
  uid: string;
  name: string;
  household: string;
  tags: string;
  groupId: number;
  label: string;
  position: number;
  poolSize: number;
  full: boolean;
  memberId: number;
}

interface Row {
  o_resident_uid: string;
  o_name: string;
  o_household: string;
  o_tags: string;
  o_group_id: number;
  o_label: string;
  o_position: number;
  o_pool_size: number;
  o_full: boolean;
  o_member_id: number;
}

/**
 * Places the scan in a pooled tube if it is the plain case: a resident on the roster, not yet placed
 * this round, routed to a pooled tube, at an active point of the open round. Null otherwise, with
 * nothing written: the caller then places it statement by statement (and says why it cannot).
 */
export async function placePooledScan(db: Kysely<Database>, a: PooledScanArgs): Promise<PooledScanPlaced | null> {
  const { rows } = await sql<Row>`select * from natq_pooled_scan(${a.uid}, ${a.idHash}, ${a.point}, ${a.scannedAt}, ${a.at},
    ${a.role}, ${a.device}, ${OTHER_ROUTE_TAGS}::text[], ${PRIORITY_TAG_LIST}::text[])`.execute(db);
  const r = rows[0];
  if (!r) return null;
  return {
    uid: r.o_resident_uid,
    name: r.o_name,
    household: r.o_household,
    tags: r.o_tags,
    groupId: r.o_group_id,
    label: r.o_label,
    position: r.o_position,
    poolSize: r.o_pool_size,
    full: r.o_full,
    memberId: r.o_member_id,
  };
}

/** A row of groupAndCountsPg: the group (when one was asked for) and one of its members, with the counts. */
export type FinishRow = Partial<GroupRow> & {
  point: string | null;
  member_id: number | null;
  position: number | null;
  status: MemberStatus | null;
  name: string | null;
  present: number | null;
  registered: number | null;
  sampled: number | null;
  waiting: number;
};

/** PostgreSQL: the next change version taken, and the replies saved with it, in one statement. */
export async function bumpVersionPg(db: Kysely<Database>, saved: SavedReply[]): Promise<number> {
  const rows = saved.map((r) => sql`(${r.key}, ${r.reply}, ${r.at}, ${r.requestHash})`);
  const save =
    rows.length > 0 ? sql`saved as (insert into requests (key, reply, created_at, request_hash) values ${sql.join(rows)}),` : sql``;
  const { rows: version } = await sql<{
    value: number;
  }>`with ${save} v as (update counters set value = value + 1 where name = 'version' returning value)
    select value from v`.execute(db);
  return Number(version[0].value);
}

/**
 * PostgreSQL: the round's counts and (groupId) the one group a write changed with its members, a row
 * per member, in one statement.
 */
export async function groupAndCountsPg(db: Kysely<Database>, roundId: number, groupId: number | null): Promise<FinishRow[]> {
  const group =
    groupId === null
      ? sql`select null as id, c.* from c`
      : sql`select g.*, p.code as point, m.id as member_id, m.position, m.status, r.name, h.member_id as present, c.*
        from c left join (groups g join points p on p.id = g.point_id) on g.id = ${groupId}
        left join members m on m.group_id = g.id left join residents r on r.id = m.resident_id
        left join hall_presence h on h.member_id = m.id order by m.position`;
  return (
    await sql<FinishRow>`with c as (select sum(rc.registered) as registered, sum(rc.sampled) as sampled,
      (select count(*) from groups where round_id = ${roundId} and state = 'waiting') as waiting
      from round_counts rc where rc.round_id = ${roundId})
    ${group}`.execute(db)
  ).rows;
}
