import { ActionError } from '../queue/actionError';
import type { RoundRow, StoreTx } from '../store/store';

/** The open round; every round-bound request is refused while none is open. */
export async function currentRound(tx: StoreTx): Promise<RoundRow> {
  const round = await tx.rounds().current();
  if (!round) throw new ActionError('round.none-open');
  return round;
}
