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
import { currentRound } from '../rounds/currentRound';
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

/** A long write's steps, each its own transaction. */
export type StepWriter = <S>(fn: (tx: StoreTx) => Promise<S>) => Promise<S>;

export class WritePipeline {
  /** Keys of long writes under way in this process, with their fingerprints and outcomes. */
  private readonly running = new Map<string, { hash: string; done: Promise<unknown> }>();

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
  async run<T>(
    op: string,
    key: string | null,
    request: object | null,
    fn: (tx: StoreTx) => Promise<Written<T>>,
    opts: WriteOptions = {},
  ): Promise<T> {
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
      const saved: SavedReply | null =
        key === null ? null : { key, reply: JSON.stringify(result.reply), at: this.now().toISOString(), requestHash: hash };
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

  /**
   * A write too big for one transaction (a roster import of a million people): `steps` writes through
   * `step`, each step its own short transaction, so scans and other writes go on in between, and
   * returns the last step, run as `run` runs a write: with the key's reply saved, the version bumped
   * and the change announced. With a key it runs once: a replay gets the first reply (waiting for it
   * while the first still runs) and the key with another request is refused before anything is written.
   * Steps must be idempotent by content, so that a replay after a failure part-way completes the write.
   */
  async runInSteps<T>(
    op: string,
    key: string | null,
    request: object,
    steps: (step: StepWriter) => Promise<(tx: StoreTx) => Promise<Written<T>>>,
  ): Promise<T> {
    const work = async () => this.run(op, key, request, await steps((fn) => this.store.write(fn)));
    if (key === null) return work();
    const hash = fingerprint(op, request);
    const running = this.running.get(key);
    if (running) {
      if (running.hash !== hash) throw new ActionError('request.key-reused');
      return running.done as Promise<T>;
    }
    const done = (async () => {
      const prior = await this.store.read((tx) => tx.findReply(key));
      if (!prior) return work();
      if (!sameRequest(prior.requestHash, op, request, [], UNFINGERPRINTED)) throw new ActionError('request.key-reused');
      return JSON.parse(prior.reply) as T;
    })();
    // Set before the first await: a replay arriving a moment later waits for this one.
    this.running.set(key, { hash, done });
    try {
      return await done;
    } finally {
      this.running.delete(key);
    }
  }
}

async function changeOf(tx: StoreTx, announce: Announce, saved: SavedReply | null): Promise<Change> {
  const round = await currentRound(tx);
  if (announce.newRound) await tx.bumpVersion();
  // Last statement before commit: the version row lock is held as briefly as possible.
  const { groups, counts, version } = await tx.finishChange(round.id, saved, announce.groups ?? []);
  const change: Change = { version, groups: groups.map(toGroupView), counts };
  if (announce.hall) change.hall = announce.hall;
  if (announce.schedule) change.schedule = announce.schedule;
  if (announce.crowding) change.crowding = announce.crowding;
  return change;
}
