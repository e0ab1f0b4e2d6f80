// Sends the kiosk's scans and walk-ins through the durable outbox, strictly in order, one at a
// time. While the server is unreachable they wait there ("offline, N pending"); on reconnect they
// are replayed with their original keys, so the server places each exactly once.
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { ScanOutcome } from '../../shared/protocol';
import { RequestError } from '../lib/errors';
import { Outbox, type OutboxItem } from '../lib/outbox';
import { useQueueStore } from './queue';

/** After a request timed out on a live connection, the next try waits this long. */
const RETRY_AFTER_TIMEOUT_MS = 3000;
/** A rate-limited request without the server's hint waits this long (the server counts per second). */
const RETRY_AFTER_RATE_LIMIT_MS = 1000;

interface Waiter {
  resolve: (outcome: ScanOutcome) => void;
  reject: (error: unknown) => void;
  onQueued: () => void;
}

/** Errors that mean "no answer": the request stays in the outbox and is sent again later. */
const unanswered = (e: unknown) => e instanceof RequestError && (e.code === 'offline' || e.code === 'timeout');
/**
 * "Not now": the server took nothing and asks to come back later (a replay faster than its limit).
 * The request stays in the outbox, in its place, and goes again after the server's hint.
 */
const notNow = (e: unknown) => e instanceof RequestError && e.code === 'rate-limited';

export const useOutboxStore = defineStore('outbox', () => {
  const queue = useQueueStore();
  /** Requests written but not yet answered by the server. */
  const pending = ref(0);
  /** The outbox could not be opened (private mode, disk full): scans are sent directly. */
  const unavailable = ref<string | null>(null);
  const waiters = new Map<string, Waiter>();
  /** Answers to entries no page was waiting for (left from before a reload), until one claims them. */
  const unclaimedAnswers = new Map<string, { outcome: ScanOutcome } | { error: unknown }>();
  let draining = false;
  let again = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const opened: Promise<Outbox | null> = Outbox.open().then(
    async (box) => {
      pending.value = await box.count();
      return box;
    },
    (err: unknown) => {
      unavailable.value = err instanceof Error ? err.message : String(err);
      return null;
    },
  );

  /**
   * Writes the request to the outbox, then sends it in turn. Resolves with the server's outcome,
   * however long that takes; onQueued is called when it has to wait for the connection.
   */
  async function submit(item: OutboxItem, onQueued: () => void): Promise<ScanOutcome> {
    const box = await opened;
    const offline = queue.connection !== 'live';
    // Marked as taken offline: if the server finds the person already placed, staff hear of it.
    const stored: OutboxItem = offline && item.event === 'scan' ? { event: 'scan', req: { ...item.req, offline: true } } : item;
    if (!box) return queue.send(stored.event, stored.req as never) as Promise<ScanOutcome>;
    await box.add(stored);
    pending.value = await box.count();
    const answered = new Promise<ScanOutcome>((resolve, reject) => waiters.set(stored.req.key, { resolve, reject, onQueued }));
    if (offline) onQueued();
    void drain();
    return answered;
  }

  async function drain(): Promise<void> {
    if (draining) {
      again = true;
      return;
    }
    const box = await opened;
    if (!box) return;
    draining = true;
    try {
      do {
        again = false;
        while (queue.connection === 'live') {
          const next = await box.oldest();
          if (!next) break;
          const waiter = waiters.get(next.item.req.key);
          let outcome: ScanOutcome;
          try {
            outcome = (await queue.send(next.item.event, next.item.req as never)) as ScanOutcome;
          } catch (err) {
            if (unanswered(err)) {
              waiter?.onQueued();
              scheduleRetry(RETRY_AFTER_TIMEOUT_MS);
              return;
            }
            if (notNow(err)) {
              waiter?.onQueued();
              scheduleRetry((err as RequestError).retryAfterMs ?? RETRY_AFTER_RATE_LIMIT_MS);
              return;
            }
            // The server refused it (invalid, conflict): sending it again would not help.
            await box.remove(next.seq);
            pending.value = await box.count();
            answer(next.item.req.key, { error: err });
            continue;
          }
          await box.remove(next.seq);
          pending.value = await box.count();
          answer(next.item.req.key, { outcome });
        }
      } while (again && queue.connection === 'live');
    } finally {
      draining = false;
      // Another window of this kiosk shares the outbox and may have sent (and removed) entries: count afresh.
      pending.value = await box.count();
    }
  }

  function answer(key: string, result: { outcome: ScanOutcome } | { error: unknown }): void {
    const waiter = waiters.get(key);
    waiters.delete(key);
    if (!waiter) unclaimedAnswers.set(key, result);
    else if ('outcome' in result) waiter.resolve(result.outcome);
    else waiter.reject(result.error);
  }

  // Read as soon as the outbox opens, before any new request can be added.
  const leftOver = opened.then((box) => (box ? box.all() : []));

  /** Entries written before this page opened (the kiosk was reloaded or restarted while offline). */
  async function unclaimed(): Promise<OutboxItem[]> {
    return (await leftOver).map((e) => e.item).filter((item) => !waiters.has(item.req.key));
  }

  /** Waits for the answer to an entry written earlier, as submit does for a new one. */
  function claim(key: string, onQueued: () => void): Promise<ScanOutcome> {
    const done = unclaimedAnswers.get(key);
    unclaimedAnswers.delete(key);
    if (done) return 'outcome' in done ? Promise.resolve(done.outcome) : Promise.reject(done.error);
    if (queue.connection !== 'live') onQueued();
    return new Promise<ScanOutcome>((resolve, reject) => waiters.set(key, { resolve, reject, onQueued }));
  }

  function scheduleRetry(ms: number): void {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void drain();
    }, ms);
  }

  // Reconnected (a fresh snapshot arrived): replay whatever waited, in order.
  watch(
    () => queue.connection,
    (state) => {
      if (state === 'live') void drain();
    },
    { immediate: true },
  );

  return { pending, unavailable, submit, drain, unclaimed, claim };
});
