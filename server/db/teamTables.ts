// Kysely table type of the home-sampling teams (migration 0012_home_teams).
import type { Generated } from 'kysely';

export interface HomeTeamsTable {
  id: Generated<number>;
  name: string;
  /** Bumped when staff reissue the team's link: links signed for an earlier generation stop working. */
  generation: number;
  created_at: string;
  issued_at: string;
}
