// The one write path of every feature (queue, hall, rounds, schedule, home visits, lab): the
// idempotency key and the request's fingerprint, the transaction (grouped for the queue's many
// small writes), the version bump and the change handed to the bus after the commit.
import type { CrowdingThresholds } from '../../shared/crowding';
import type { HallView } from '../../shared/hall';
import type { Change } from '../../shared/protocol';
import type { ScheduleSlot } from '../../shared/schedule';
import { ActionError } from '../queue/actionError';
import { toGroupView } from '../queue/groupViews';
import type { SavedReply, Store, StoreTx } from '../store/store';
import type { ChangeBus } from './changeBus';
import { fingerprint, sameRequest } from './fingerprint';

/** What clients must hear of a write; a write without one changes nothing they show. */
export interface Announce {
  /** Groups the write changed: sent as they are after it. */
  groups?: number[];
  /** The hall's settings or banner changed (hall). */
  hall?: HallView;
  /** The round's schedule was replaced. */
  schedule?: ScheduleSlot[];
  /** Staff changed the crowding thresholds (points overview). */
  crowding?: CrowdingThresholds;
  /**
   * A new round: one version is skipped on purpose, so every client sees a gap and takes a fresh
   * snapshot (new round, its points, an empty queue); no client knows how to switch rounds itself.
   */
  newRound?: boolean;
}

export interface Written<T> {
  reply: T;
  /** Absent or null: no change is announced (counts move only with an announced write). */
  announce?: Announce | null;
}

export interface WriteOptions {
  /** Shares a transaction and its commit with the writes queued at the same moment (group commit). */
  grouped?: boolean;
  /** Request fields a client may change when it replays a key (a scan's `offline`, `scannedAt`): not fingerprinted. */
  vary?: readonly string[];
}

/** Operations whose replies were stored without a fingerprint before this pipeline (see `sameRequest`). */
const UNFINGERPRINTED = new Set(['round:open', 'home:sample']);

export class WritePipeline {
  constructor(
    private readonly store: Store,
    private readonly bus: ChangeBus,
    readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Runs one write of operation `op`. With a key it runs once: a replay of the same request gets
   * the first reply and writes nothing; the key replayed with another request, or for another
   * operation, is refused as a `conflict` and answered with nothing of the first reply.
   */
  async run<T>(op: string, key: string | null, request: object | null, fn: (tx: StoreTx) => Promise<Written<T>>, opts: WriteOptions = {}): Promise<T> {
    const vary = opts.vary ?? [];
    const hash = key === null ? null : fingerprint(op, request ?? {}, vary);
    const body = async (tx: StoreTx): Promise<{ reply: T; change: Change | null }> => {
      if (key !== null) {
        const prior = await tx.findReply(key);
        if (prior) {
          if (!sameRequest(prior.requestHash, op, request ?? {}, vary, UNFINGERPRINTED)) {
            throw new ActionError('request.key-reused');
          }
          return { reply: JSON.parse(prior.reply) as T, change: null };
        }
      }
      const result = await fn(tx);
      const saved: SavedReply | null = key === null ? null : { key, reply: JSON.stringify(result.reply), at: this.now().toISOString(), requestHash: hash };
      if (!result.announce) {
        if (saved) await tx.saveReply(saved.key, saved.reply, saved.at, saved.requestHash);
        return { reply: result.reply, change: null };
      }
      return { reply: result.reply, change: await changeOf(tx, result.announce, saved) };
    };
    const { reply, change } = await (opts.grouped ? this.store.writeGrouped(body) : this.store.write(body));
    if (change) this.bus.publish(change);
    return reply;
  }
}

async function changeOf(tx: StoreTx, announce: Announce, saved: SavedReply | null): Promise<Change> {
  const round = await tx.rounds().current();
  if (!round) throw new ActionError('round.none-open');
  if (announce.newRound) await tx.bumpVersion();
  // Last statement before commit: the version row lock is held as briefly as possible.
  const { groups, counts, version } = await tx.finishChange(round.id, saved, announce.groups ?? []);
  const change: Change = { version, groups: groups.map(toGroupView), counts };
  if (announce.hall) change.hall = announce.hall;
  if (announce.schedule) change.schedule = announce.schedule;
  if (announce.crowding) change.crowding = announce.crowding;
  return change;
}
