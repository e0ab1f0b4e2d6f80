import type { Kysely, Migration } from 'kysely';

// Indexes for statements every scan runs, so a scan costs the same at 8 pm as at 8 am.
export function scanIndexes(): Migration {
  return {
    async up(db: Kysely<any>) {
      // "Is this person already placed this round?" The partial unique index members_once_per_round
      // cannot answer it on SQLite: the query binds the status as a parameter, and SQLite uses a
      // partial index only when the query repeats its WHERE literally. Without this index every scan
      // read the whole members table.
      await db.schema.createIndex('members_by_resident').on('members').columns(['resident_id', 'round_id']).execute();
      // The next group number at a point (MAX(seq)), instead of reading every group of the round.
      await db.schema.createIndex('groups_by_point').on('groups').columns(['round_id', 'point_id', 'seq']).execute();
    },
  };
}
