// What a home-sampling team may see: the visits on its own list, and nothing about anyone else.
import { ActionError } from '../queue/actionError';
import type { Actor } from '../../shared/roles';
import type { ResidentRow, StoreTx } from '../store/store';

/** Who works on the visit list: a team (its own list only), or staff (team null: every list). */
export interface HomeActor extends Actor {
  team: string | null;
}

/** One answer for anyone a team may not see, on the roster or not: no name, no hint which. */
export function notOnTeamList(team: string | null): ActionError {
  return new ActionError(team === null ? 'visit.not-on-list' : 'visit.not-on-team-list');
}

/** Whether the resident's visit this round is on the team's list. */
export async function onTeamList(tx: StoreTx, roundId: number, resident: ResidentRow | null, team: string): Promise<boolean> {
  if (!resident) return false;
  const [visit] = await tx.homeVisits().ofResidents(roundId, [resident.id]);
  return visit?.team === team;
}
