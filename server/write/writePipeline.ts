// The one write path of every feature (queue, hall, rounds, schedule, home visits, lab): the
// idempotency key and the request's fingerprint, the transaction (grouped for the queue's many
// small writes), the version bump and the change handed to the bus after the commit.
import type { CrowdingThresholds } from '../../shared/crowding';
import type { HallView } from '../../shared/hall';
import type { Change } from '../../shared/protocol';
import type { ScheduleSlot } from '../../shared/schedule';
import { ActionError } from '../queue/actionError';
import { toGroupView } from '../queue/groupViews';
import type { SavedReply, Store, StoredReply, StoreTx } from '../store/store';
import type { TxOptions } from '../store/transactionRunner';
import type { GroupHooks } from '../store/transactionRunner';
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
  /**
   * Shares a transaction and its commit with the writes queued at the same moment (group commit); the
   * group takes one version and clients hear of it as one change.
   */
  grouped?: boolean;
  /** Grouped writes that lock a sampling point: its code, so one point's writes commit beside another's. */
  lane?: string;
  /** Request fields a client may change when it replays a key (a scan's `offline`, `scannedAt`): not fingerprinted. */
  vary?: readonly string[];
}

/** A grouped write done, before its group's end: its reply (to save, unless it was a replay), and what clients must hear of it. */
interface GroupedDone {
  reply: unknown;
  saved: SavedReply | null;
  announce: Announce | null;
}

/** Operations whose replies were stored without a fingerprint before this pipeline (see `sameRequest`). */
const UNFINGERPRINTED = new Set(['round:open', 'home:sample']);

/** A long write's steps, each its own transaction. */
export type StepWriter = <S>(fn: (tx: StoreTx) => Promise<S>, opts?: TxOptions) => Promise<S>;

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
    /** The first reply of this request from the stored one, or the key refused when it came with another request. */
    const replay = (prior: StoredReply): T => {
      if (!sameRequest(prior.requestHash, op, request ?? {}, vary, UNFINGERPRINTED)) throw new ActionError('request.key-reused');
      return JSON.parse(prior.reply) as T;
    };
    const toSave = (reply: T): SavedReply | null =>
      key === null ? null : { key, reply: JSON.stringify(reply), at: this.now().toISOString(), requestHash: hash };

    if (opts.grouped) {
      const done = await this.store.writeGrouped(
        async (tx): Promise<GroupedDone> => {
          const replies = this.groupReplies.get(tx)!;
          const prior = key === null ? undefined : replies.get(key);
          if (prior) return { reply: replay(prior), saved: null, announce: null };
          const result = await fn(tx);
          const saved = toSave(result.reply);
          // Saved at the group's end; a later write of the group under the same key is answered from it.
          if (saved) replies.set(saved.key, saved);
          return { reply: result.reply, saved, announce: result.announce ?? null };
        },
        { lane: opts.lane, key, hooks: this.groupHooks },
      );
      return done.reply as T;
    }
    /** The version an attempt took: dropped when that attempt rolls back (it is then taken again, or never). */
    let took: number | null = null;
    const drop = () => {
      if (took !== null) this.bus.dropped(took);
      took = null;
    };
    const written = this.store.write(async (tx): Promise<{ reply: T; change: Change | null }> => {
      drop(); // a previous attempt lost a race and rolled back
      const prior = key === null ? null : await tx.findReply(key);
      if (prior) return { reply: replay(prior), change: null };
      const result = await fn(tx);
      const saved = toSave(result.reply);
      if (!result.announce) {
        if (saved) await tx.saveReplies([saved]);
        return { reply: result.reply, change: null };
      }
      const change = await changeOf(tx, result.announce, saved ? [saved] : []);
      this.bus.taken((took = change.version));
      return { reply: result.reply, change };
    });
    const { reply, change } = await written.catch((err: unknown) => {
      drop();
      throw err;
    });
    if (change) this.bus.publish(change);
    return reply;
  }

  /** Per grouped transaction: the replies stored under its writes' keys, and those its writes made so far. */
  private readonly groupReplies = new WeakMap<StoreTx, Map<string, StoredReply>>();

  /**
   * A grouped transaction's share: its writes' keys looked up at once, then their replies saved, one
   * version and one change for all that clients must hear of.
   */
  private readonly groupHooks: GroupHooks<StoreTx, GroupedDone, Change | null> = {
    begin: async (tx, keys) => {
      this.groupReplies.set(tx, await tx.findReplies(keys));
    },
    end: async (tx, done) => {
      const saved = done.flatMap((d) => (d.saved ? [d.saved] : []));
      const announces = done.flatMap((d) => (d.announce ? [d.announce] : []));
      if (announces.length === 0) {
        await tx.saveReplies(saved);
        return null;
      }
      const change = await changeOf(tx, announces.reduce(mergeAnnounce), saved);
      this.bus.taken(change.version);
      return change;
    },
    committed: (change) => {
      if (change) this.bus.publish(change);
    },
    abandoned: (change) => {
      if (change) this.bus.dropped(change.version);
    },
  };

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
    const work = async () => this.run(op, key, request, await steps((fn, opts) => this.store.write(fn, opts)));
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

/** Two writes' announcements as one: every group either changed, and the latest hall, schedule and thresholds. */
function mergeAnnounce(a: Announce, b: Announce): Announce {
  return {
    groups: [...new Set([...(a.groups ?? []), ...(b.groups ?? [])])],
    hall: b.hall ?? a.hall,
    schedule: b.schedule ?? a.schedule,
    crowding: b.crowding ?? a.crowding,
    newRound: a.newRound || b.newRound,
  };
}

async function changeOf(tx: StoreTx, announce: Announce, saved: SavedReply[]): Promise<Change> {
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
