// The kiosk's scans store on its own, over the real outbox (IndexedDB, here fake-indexeddb) and a real
// Socket.IO server that answers as the test says and records what it was asked. Each test gets an
// empty IndexedDB of its own.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPinia, setActivePinia } from 'pinia';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientToServerEvents, ScanOutcome, ScanRequest, ServerToClientEvents, Snapshot } from '../../shared/protocol';
import { useTubeMode } from '../../renderer/lib/useTubeMode';
import { useOutboxStore } from '../../renderer/stores/outbox';
import { useQueueStore } from '../../renderer/stores/queue';
import { useScansStore } from '../../renderer/stores/scans';

/** A deadline for what a loaded machine may take; the waits end as soon as the condition holds. */
const WAIT = { timeout: 10_000 };

const snapshot: Snapshot = {
  version: 1,
  round: { id: 1, name: 'r', date: '2026-12-01' },
  points: [{ code: 'A', name: 'A', poolSize: 10 }],
  groups: [],
  counts: { registered: 0, sampled: 0, waitingGroups: 0 },
};
const resident = { name: '张三', household: '3-1-501', tags: [] };

let http: HttpServer;
let io: Server<ClientToServerEvents, ServerToClientEvents>;
let scans: ScanRequest[];
let undos: { event: string; req: unknown }[];

beforeEach(async () => {
  scans = [];
  undos = [];
  http = createServer();
  io = new Server(http);
  io.on('connection', (socket) => {
    socket.emit('snapshot', snapshot);
    socket.on('scan', (req, ack) => {
      scans.push(req);
      const n = scans.length;
      const outcome: ScanOutcome =
        req.mode === 'single'
          ? { kind: 'routed', route: 'single-tube', resident, group: { id: 100 + n, label: `A-10${n}` } }
          : { kind: 'added', resident, group: { id: 1, label: 'A-001', position: n, poolSize: 10 }, full: false, memberId: 10 + n };
      ack({ ok: true, value: outcome });
    });
    socket.on('member:remove', (req, ack) => {
      undos.push({ event: 'member:remove', req });
      ack({ ok: true, value: undefined as never });
    });
    socket.on('group:action', (req, ack) => {
      undos.push({ event: 'group:action', req });
      ack({ ok: true, value: undefined as never });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  vi.stubGlobal('location', new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}`));
  vi.stubGlobal('indexedDB', new IDBFactory());
  useTubeMode().value = 'pooled';
  setActivePinia(createPinia());
});

afterEach(async () => {
  await io.close();
  vi.unstubAllGlobals();
});

async function live() {
  const queue = useQueueStore();
  const close = queue.connect(
    async () => 'kiosk-token',
    async () => false,
  );
  await vi.waitFor(() => expect(queue.connection).toBe('live'), WAIT);
  return close;
}

describe('scans store', () => {
  it('shows the latest scan with its answer, and sends when it was taken and the tube mode', async () => {
    const close = await live();
    const store = useScansStore();
    const entry = await store.scan('A', 'NQ1:abc:sig');
    expect(entry.result).toMatchObject({ status: 'done', outcome: { kind: 'added', memberId: 11 } });
    expect(store.latest?.seq).toBe(entry.seq);
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ point: 'A', input: 'NQ1:abc:sig', mode: 'pooled' });
    expect(scans[0].offline).toBeUndefined();
    expect(Date.parse(scans[0].scannedAt!)).toBeGreaterThan(0);
    close();
  });

  it('goes back to pooled after one single tube, before its answer', async () => {
    const close = await live();
    const store = useScansStore();
    const mode = useTubeMode();
    mode.value = 'single';
    const pending = store.scan('A', 'NQ1:one:sig');
    expect(mode.value).toBe('pooled');
    await pending;
    await store.scan('A', 'NQ1:two:sig');
    expect(scans.map((s) => s.mode)).toEqual(['single', 'pooled']);
    close();
  });

  it('keeps a scan taken without a connection in the outbox, marked offline, and answers it once connected', async () => {
    const store = useScansStore();
    const answered = store.scan('A', 'NQ1:late:sig');
    await vi.waitFor(() => expect(store.latest?.queued).toBe(true), WAIT);
    expect(store.latest?.result.status).toBe('pending');
    expect(useOutboxStore().pending).toBe(1);
    expect(scans).toEqual([]);
    const close = await live();
    const entry = await answered;
    expect(entry.result.status).toBe('done');
    expect(scans).toHaveLength(1);
    expect(scans[0].offline).toBe(true);
    await vi.waitFor(() => expect(useOutboxStore().pending).toBe(0), WAIT);
    close();
  });

  it('undoes an added person by removing the member, and a single tube by cancelling its group', async () => {
    const close = await live();
    const store = useScansStore();
    const added = await store.scan('A', 'NQ1:a:sig');
    useTubeMode().value = 'single';
    const single = await store.scan('A', 'NQ1:b:sig');
    await store.undo(added);
    await store.undo(single);
    expect(undos).toEqual([
      { event: 'member:remove', req: { key: expect.any(String), memberId: 11 } },
      { event: 'group:action', req: { key: expect.any(String), groupId: 102, action: 'cancel' } },
    ]);
    expect([added.undone, single.undone]).toEqual([true, true]);
    close();
  });

  it('lists the last ten scans, newest first', async () => {
    const close = await live();
    const store = useScansStore();
    for (let i = 1; i <= 12; i++) await store.scan('A', `NQ1:p${i}:sig`);
    expect(store.entries.map((e) => e.input)).toEqual(Array.from({ length: 10 }, (_, k) => `NQ1:p${12 - k}:sig`));
    close();
  });
});
