// The live queue as the server last described it: a snapshot on (re)connect, then consecutive changes.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { GroupState } from '../../shared/groupStates';
import type { Change, Counts, GroupView, PointView, RoundView, Snapshot } from '../../shared/protocol';
import type { HallView } from '../../shared/hall';
import type { ScheduleSlot } from '../../shared/schedule';
import { DEFAULT_CROWDING, type CrowdingThresholds } from '../../shared/crowding';
import { callOrder } from '../../shared/queueOrder';
import { applyChange, fitOf, viewOfSnapshot, type QueueView } from '../../shared/queueView';
import { byId } from '../lib/groups';
import type { QueueSocket, RequestOf, SocketCredentials, ValueOf, WriteEvent } from '../lib/socket';
import { RequestError } from '../lib/errors';
import { COPY_EVERY_MS, loadQueueCopy, saveQueueCopy } from '../lib/queueCopy';
import { queueActive } from '../lib/queueActive';

export type ConnectionState = 'connecting' | 'live' | 'offline';

/** After a handshake the server could not decide (its database away), the next try waits this long. */
const HANDSHAKE_RETRY_MS = 3_000;

const NO_COUNTS: Counts = { registered: 0, sampled: 0, waitingGroups: 0 };

/**
 * The Socket.IO client comes with the first page that connects, not with the app: a resident's
 * phone pages (turn, /me) never download it.
 */
type SocketLib = typeof import('../lib/socket');
let socketLib: Promise<SocketLib> | null = null;
const loadSocketLib = () => (socketLib ??= import('../lib/socket'));

export const useQueueStore = defineStore('queue', () => {
  const version = ref(0);
  const round = ref<RoundView | null>(null);
  const points = ref<PointView[]>([]);
  const groups = ref(new Map<number, GroupView>());
  const counts = ref<Counts>(NO_COUNTS);
  /** Capacity, desks and the banner (hall). */
  const hall = ref<HallView | null>(null);
  /** The round's staggered schedule (rounds and coverage). */
  const schedule = ref<ScheduleSlot[]>([]);
  /** Waits at which a point counts as busy or jammed (points overview). */
  const crowding = ref<CrowdingThresholds>(DEFAULT_CROWDING);
  const connection = ref<ConnectionState>('connecting');
  /** Whether the current page holds a connection at all (the home page does not). */
  const active = queueActive;
  /** A first snapshot has arrived (or a saved copy, while the server cannot be reached); until then the page has nothing true to show. */
  const loaded = ref(false);
  /** While not live: since when what the page shows has not been updated (the last live moment, or when it failed to connect). */
  const staleSince = ref<Date | null>(null);

  // Kept out of reactive state: Vue proxies would wrap the socket for no gain.
  let socket: QueueSocket | null = null;
  let lib: SocketLib | null = null;
  /** Bumped by every connect and close: a connection whose client library arrives after it was replaced is not opened. */
  let opened = 0;
  let syncing = false;
  /** Changes that arrived while a sync was under way, or that revealed a gap; replayed after it. */
  let held: Change[] = [];

  const queue = computed(() => [...groups.value.values()].sort(byId));

  // ---- a copy on the device for a reload while offline (pages that ask for it) ----
  let keepCopy = false;
  let lastSnapshot: Snapshot | null = null;
  let copyTimer: ReturnType<typeof setTimeout> | null = null;
  function writeCopy(): void {
    copyTimer = null;
    if (!keepCopy || !lastSnapshot || connection.value !== 'live') return;
    saveQueueCopy({
      liveAt: Date.now(),
      snapshot: {
        ...lastSnapshot,
        version: version.value,
        groups: [...groups.value.values()],
        counts: counts.value,
        hall: hall.value ?? undefined,
        schedule: schedule.value,
      },
    });
  }
  function copySoon(): void {
    if (keepCopy && !copyTimer) copyTimer = setTimeout(writeCopy, COPY_EVERY_MS);
  }
  /** Nothing from the server yet and it cannot be reached: show the saved copy, as of when it was live. */
  function showCopy(): void {
    const copy = keepCopy && !loaded.value ? loadQueueCopy() : null;
    if (!copy) return;
    applySnapshot(copy.snapshot);
    staleSince.value = new Date(copy.liveAt);
  }

  /** The view the shared reducer (shared/queueView) works on, over this store's state. */
  function current(): QueueView {
    return {
      version: version.value,
      groups: groups.value,
      counts: counts.value,
      hall: hall.value,
      schedule: schedule.value,
      crowding: crowding.value,
    };
  }
  function show(view: QueueView): void {
    ({
      version: version.value,
      groups: groups.value,
      counts: counts.value,
      hall: hall.value,
      schedule: schedule.value,
      crowding: crowding.value,
    } = view);
  }

  function applySnapshot(s: Snapshot): void {
    show(viewOfSnapshot(s));
    round.value = s.round;
    points.value = s.points;
    loaded.value = true;
    lastSnapshot = s;
  }

  function onChange(c: Change): void {
    if (syncing) {
      held.push(c);
      return;
    }
    const fit = fitOf(version.value, c);
    if (fit === 'old') return;
    if (fit === 'next') {
      const view = current();
      applyChange(view, c);
      show(view);
      copySoon();
      return;
    }
    // A gap: some change never reached us. Keep this one, since the snapshot may predate it.
    held.push(c);
    void resync();
  }

  function replayHeld(): void {
    const pending = held.sort((a, b) => a.version - b.version);
    held = [];
    for (const c of pending) onChange(c);
  }

  async function resync(): Promise<void> {
    const s = socket;
    if (!s) return;
    syncing = true;
    let synced = false;
    try {
      const snap = await lib!.requestSnapshot(s);
      // A reconnect snapshot may already have moved us past this reply.
      if (s === socket && snap.version >= version.value) applySnapshot(snap);
      synced = true;
    } catch {
      // Nothing to do here: a reconnect brings a snapshot, and the next change retries the sync.
    } finally {
      syncing = false;
    }
    if (s !== socket) return;
    // After a failed sync the held changes would only gap again at once and loop; drop them.
    if (synced) replayHeld();
    else held = [];
  }

  function reset(): void {
    version.value = 0;
    round.value = null;
    points.value = [];
    groups.value = new Map();
    counts.value = NO_COUNTS;
    hall.value = null;
    schedule.value = [];
    crowding.value = DEFAULT_CROWDING;
    loaded.value = false;
    staleSince.value = null;
    lastSnapshot = null;
    held = [];
    syncing = false;
  }

  /**
   * Opens this page's connection (closing any other). Returns a function that closes it,
   * unless another page has already replaced it. onUnauthorized says whether to try again
   * (a new token arrived meanwhile) or give up. With keepOfflineCopy the queue is also kept on the
   * device, and shown after a reload while the server cannot be reached.
   */
  function connect(credentials: SocketCredentials | null, onUnauthorized: () => Promise<boolean>, keepOfflineCopy = false): () => void {
    const mine = ++opened;
    socket?.disconnect();
    socket = null;
    reset();
    keepCopy = keepOfflineCopy;
    active.value = true;
    connection.value = 'connecting';
    void loadSocketLib().then(
      (loaded) => {
        lib = loaded;
        if (mine === opened) open(loaded);
      },
      () => {
        // Not even the client library could be fetched: offline, with the saved copy if there is one.
        if (mine !== opened) return;
        connection.value = 'offline';
        staleSince.value ??= new Date();
        showCopy();
      },
    );

    function open({ openQueueSocket }: SocketLib): void {
      const s = openQueueSocket(credentials);
      socket = s;
      s.on('snapshot', (snap) => {
        applySnapshot(snap);
        connection.value = 'live';
        staleSince.value = null;
        copySoon();
        if (!syncing) replayHeld();
      });
      s.on('change', onChange);
      s.on('disconnect', (reason) => {
        if (connection.value === 'live') {
          staleSince.value = new Date();
          if (copyTimer) clearTimeout(copyTimer);
          writeCopy(); // the last changes before the drop, as of now
        }
        connection.value = 'offline';
        // The server closed it (token expired, logged out elsewhere, PIN changed): the handshake decides.
        if (reason === 'io server disconnect' && socket === s) s.connect();
      });
      s.on('connect_error', (err) => {
        connection.value = 'offline';
        staleSince.value ??= new Date();
        showCopy();
        if (err.message === 'unauthorized') {
          void onUnauthorized().then((retry) => {
            if (socket !== s) return;
            if (retry) s.connect();
            else close();
          });
        } else if (!s.active) {
          // Refused for another reason (the server could not check the token): Socket.IO does not retry that itself.
          setTimeout(() => socket === s && s.connect(), HANDSHAKE_RETRY_MS);
        }
      });
    }
    function close(): void {
      if (mine !== opened) return;
      opened++;
      socket?.disconnect();
      socket = null;
      active.value = false;
    }
    return close;
  }

  function send<E extends WriteEvent>(event: E, req: RequestOf<E>): Promise<ValueOf<E>> {
    if (!socket || !lib) return Promise.reject(new RequestError('offline', 'not connected'));
    return lib.request(socket, event, req);
  }

  function groupById(id: number): GroupView | undefined {
    return groups.value.get(id);
  }

  /** Groups of one point in the given states, in arrival order. */
  function groupsAt(point: string, ...states: GroupState[]): GroupView[] {
    return queue.value.filter((g) => g.point === point && states.includes(g.state));
  }

  /** The pooled group now taking people at this point (the newest, should there be two); the display is not told kinds. */
  function formingAt(point: string): GroupView | undefined {
    return groupsAt(point, 'forming')
      .filter((g) => g.kind !== 'single')
      .at(-1);
  }

  /** Every group still taking people at this point: green-channel groups first, then by arrival. */
  function formingGroupsAt(point: string): GroupView[] {
    return groupsAt(point, 'forming').sort(callOrder);
  }

  return {
    version,
    round,
    points,
    groups,
    counts,
    hall,
    schedule,
    crowding,
    connection,
    active,
    loaded,
    staleSince,
    queue,
    connect,
    send,
    groupById,
    groupsAt,
    formingAt,
    formingGroupsAt,
  };
});
