// The pages' queue store on its own: a real Socket.IO server that says exactly what the test wants
// (snapshots, changes, gaps), so each rule of the store is seen in isolation. Node has no Web Storage:
// the offline copy is kept in a small in-memory one.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPinia, setActivePinia } from 'pinia';
import { Server, type Socket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Change, ClientToServerEvents, GroupView, ServerToClientEvents, Snapshot } from '../../shared/protocol';
import { useQueueStore } from '../../renderer/stores/queue';
import { groupView } from '../support/groupView';

/** A deadline for what a loaded machine may take; the waits end as soon as the condition holds. */
const WAIT = { timeout: 10_000 };

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, String(v));
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

const counts = (registered: number) => ({ registered, sampled: 0, waitingGroups: 0 });
const group = (id: number, state: GroupView['state'], priority = false): GroupView =>
  groupView(id, state, { priority, members: [{ id: id * 10, position: 1, maskedName: '张*', status: 'queued' }] });
const snapshotAt = (version: number, groups: GroupView[]): Snapshot => ({
  version,
  round: { id: 1, name: '第一轮', date: '2026-12-01' },
  points: [{ code: 'A', name: 'A', poolSize: 10 }],
  groups,
  counts: counts(groups.length),
});

type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

let http: HttpServer;
let io: Server<ClientToServerEvents, ServerToClientEvents>;
/** What the server sends on connect and answers to a sync. */
let current: Snapshot;
let syncs = 0;
let client: ServerSocket | null = null;

beforeEach(async () => {
  http = createServer();
  io = new Server(http);
  current = snapshotAt(5, [group(1, 'forming'), group(2, 'waiting')]);
  syncs = 0;
  io.on('connection', (socket) => {
    client = socket;
    socket.emit('snapshot', current);
    socket.on('sync', (ack) => {
      syncs++;
      ack({ ok: true, value: current });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  vi.stubGlobal('location', new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}`));
  vi.stubGlobal('localStorage', new MemoryStorage());
  setActivePinia(createPinia());
});

afterEach(async () => {
  client = null;
  await io.close();
  vi.unstubAllGlobals();
});

const send = (c: Change) => client!.emit('change', c);
const ids = (queue: ReturnType<typeof useQueueStore>) => queue.queue.map((g) => [g.id, g.state]);

describe('queue store', () => {
  it('draws the snapshot it gets on connect, then the consecutive changes, and ignores ones already seen', async () => {
    const queue = useQueueStore();
    const close = queue.connect(null, async () => false);
    await vi.waitFor(() => expect(queue.connection).toBe('live'), WAIT);
    expect(queue.loaded).toBe(true);
    expect(ids(queue)).toEqual([
      [1, 'forming'],
      [2, 'waiting'],
    ]);
    expect(queue.round?.name).toBe('第一轮');

    send({ version: 6, groups: [group(1, 'waiting')], counts: counts(2) });
    send({ version: 6, groups: [group(1, 'sampled')], counts: counts(9) });
    send({ from: 7, version: 8, groups: [group(3, 'forming')], counts: counts(3) });
    await vi.waitFor(() => expect(queue.version).toBe(8), WAIT);
    expect(ids(queue)).toEqual([
      [1, 'waiting'],
      [2, 'waiting'],
      [3, 'forming'],
    ]);
    expect(queue.counts).toEqual(counts(3));
    expect(syncs).toBe(0);
    close();
  });

  it('drops a cancelled group at once', async () => {
    const queue = useQueueStore();
    const close = queue.connect(null, async () => false);
    await vi.waitFor(() => expect(queue.connection).toBe('live'), WAIT);
    send({ version: 6, groups: [group(2, 'cancelled')], counts: counts(1) });
    await vi.waitFor(() => expect(queue.version).toBe(6), WAIT);
    expect(ids(queue)).toEqual([[1, 'forming']]);
    close();
  });

  it('asks for a snapshot after a gap, and applies the change it held once the snapshot is older', async () => {
    const queue = useQueueStore();
    const close = queue.connect(null, async () => false);
    await vi.waitFor(() => expect(queue.connection).toBe('live'), WAIT);
    // Version 6 never arrives; the server is at 6 when asked.
    current = snapshotAt(6, [group(1, 'waiting'), group(2, 'waiting')]);
    send({ version: 7, groups: [group(4, 'forming', true)], counts: counts(3) });
    await vi.waitFor(() => expect(queue.version).toBe(7), WAIT);
    expect(syncs).toBe(1);
    expect(ids(queue)).toEqual([
      [1, 'waiting'],
      [2, 'waiting'],
      [4, 'forming'],
    ]);
    // Green channel first among the forming groups.
    expect(queue.formingGroupsAt('A').map((g) => g.id)).toEqual([4]);
    close();
  });

  it('keeps a copy on the device and shows it, stale since it was live, when the server is away after a reload', async () => {
    const first = useQueueStore();
    const close = first.connect(null, async () => false, true);
    await vi.waitFor(() => expect(first.connection).toBe('live'), WAIT);
    send({ version: 6, groups: [group(3, 'waiting')], counts: counts(3) });
    await vi.waitFor(() => expect(first.version).toBe(6), WAIT);
    const beforeDrop = Date.now();
    await io.close(); // the server goes away: the store writes what it had
    await vi.waitFor(() => expect(first.connection).toBe('offline'), WAIT);
    close();

    // A reload: a fresh store, the server still away.
    setActivePinia(createPinia());
    const reloaded = useQueueStore();
    const closeAgain = reloaded.connect(null, async () => false, true);
    await vi.waitFor(() => expect(reloaded.loaded).toBe(true), WAIT);
    expect(reloaded.connection).toBe('offline');
    expect(reloaded.version).toBe(6);
    expect(ids(reloaded)).toEqual([
      [1, 'forming'],
      [2, 'waiting'],
      [3, 'waiting'],
    ]);
    expect(reloaded.staleSince!.getTime()).toBeGreaterThanOrEqual(beforeDrop - 1000);
    closeAgain();
  });

  it('keeps no copy for a page that did not ask for one', async () => {
    const first = useQueueStore();
    const close = first.connect(null, async () => false);
    await vi.waitFor(() => expect(first.connection).toBe('live'), WAIT);
    await io.close();
    await vi.waitFor(() => expect(first.connection).toBe('offline'), WAIT);
    close();
    expect(localStorage.getItem('nat-queue.queue-copy')).toBeNull();
  });
});
