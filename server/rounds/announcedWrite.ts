import type { CrowdingThresholds } from '../../shared/crowding';
import type { Change } from '../../shared/protocol';
import type { ScheduleSlot } from '../../shared/schedule';
import { ActionError } from '../queue/actionError';
import type { QueueService } from '../queue/queueService';
import type { RoundRow, Store, StoreTx } from '../store/store';

export interface Announce {
  /** A new round: clients must drop what they hold and take a fresh snapshot. */
  newRound?: boolean;
  schedule?: ScheduleSlot[];
  /** New crowding thresholds (the /points page). */
  crowding?: CrowdingThresholds;
  /** Counts changed (a home sample). */
  counts?: boolean;
}

export async function currentRound(tx: StoreTx): Promise<RoundRow> {
  const round = await tx.currentRound();
  if (!round) throw new ActionError('conflict', 'no testing round is open');
  return round;
}

/**
 * A write of rounds, schedule or home sampling, told to every client like a queue change.
 * With a key it runs once (a replay gets the first reply). A new round skips one version on
 * purpose: every client sees the gap and asks for a snapshot, which carries the new round,
 * its points and its (empty) queue — no client needs to know how to switch rounds itself.
 */
export async function announcedWrite<T>(
  store: Store, queue: QueueService, key: string | null, now: string,
  fn: (tx: StoreTx) => Promise<{ reply: T; announce: Announce | null }>,
): Promise<T> {
  const { reply, change } = await store.write(async (tx) => {
    const prior = key ? await tx.findReply(key) : null;
    if (prior !== null) return { reply: JSON.parse(prior) as T, change: null };
    const result = await fn(tx);
    if (key) await tx.saveReply(key, JSON.stringify(result.reply), now);
    const { announce } = result;
    if (!announce) return { reply: result.reply, change: null };
    const counts = await tx.counts((await currentRound(tx)).id);
    if (announce.newRound) await tx.bumpVersion();
    const change: Change = { version: await tx.bumpVersion(), groups: [], counts };
    if (announce.schedule) change.schedule = announce.schedule;
    if (announce.crowding) change.crowding = announce.crowding;
    return { reply: result.reply, change };
  });
  if (change) queue.publish(change);
  return reply;
}
