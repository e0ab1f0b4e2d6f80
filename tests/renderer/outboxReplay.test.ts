// A kiosk back online replays more scans than the server takes at once (20 a second, bursts of 100):
// the kiosk's own outbox store, over a real Socket.IO connection to a real server, in Node. Scans the
// server refuses for the rate stay in the outbox and go again later; every one is placed exactly once.
import 'fake-indexeddb/auto';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScanOutcome } from '../../shared/protocol';
import { useOutboxStore } from '../../renderer/stores/outbox';
import { useQueueStore } from '../../renderer/stores/queue';
import { SCAN_BURST } from '../../server/socket/rateLimit';
import { newKey } from '../support/testServer';
import { residents, startSiteWithRoster, sync, type RosterSite } from '../server/helpers';

const OFFLINE_SCANS = SCAN_BURST * 2 + 30;
const PEOPLE = residents(0, OFFLINE_SCANS);
const SECOND_WINDOW = residents(OFFLINE_SCANS, 5);

let rs: RosterSite;

beforeAll(async () => {
  rs = await startSiteWithRoster('sqlite', [...PEOPLE, ...SECOND_WINDOW]);
  // The page's own origin: the store connects to the server it was served from.
  vi.stubGlobal('location', new URL(rs.site.url));
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await rs?.site.close();
});

describe('kiosk outbox replay', { timeout: 120_000 }, () => {
  it(`keeps scans the server refused for the rate and places all ${OFFLINE_SCANS} taken offline exactly once`, async () => {
    setActivePinia(createPinia());
    const queue = useQueueStore();
    const outbox = useOutboxStore();
    const registeredBefore = (await sync(await rs.site.connect('staff'))).counts.registered;

    // Taken while the kiosk had no connection: all wait in the outbox.
    const answers: Promise<ScanOutcome>[] = [];
    for (const p of PEOPLE) {
      const req = { key: newKey(), point: 'A', input: rs.code(p), scannedAt: new Date().toISOString(), mode: 'pooled' as const };
      answers.push(outbox.submit({ event: 'scan', req }, () => {}));
    }
    await vi.waitFor(() => expect(outbox.pending).toBe(OFFLINE_SCANS), { timeout: 30_000 });

    // Back online: the outbox replays in one go, faster than the server's limit.
    const token = await rs.site.token('kiosk');
    const close = queue.connect(
      async () => token,
      async () => {
        throw new Error('the kiosk token was refused');
      },
    );
    try {
      const settled = await Promise.allSettled(answers);
      const refused = settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
      expect(refused).toEqual([]);
      const outcomes = settled.map((s) => (s as PromiseFulfilledResult<ScanOutcome>).value.kind);
      expect(outcomes.every((k) => k === 'added')).toBe(true);
      expect(outbox.pending).toBe(0);
      const snap = await sync(await rs.site.connect('staff'));
      expect(snap.counts.registered).toBe(registeredBefore + OFFLINE_SCANS);
    } finally {
      close();
    }
  });

  it('tells a second window of the kiosk, which shares the outbox, once the first has sent everything', async () => {
    // Two windows of one kiosk: one browser profile, one IndexedDB outbox, a store each.
    const first = createPinia();
    const second = createPinia();
    setActivePinia(first);
    const queue1 = useQueueStore(first);
    const outbox1 = useOutboxStore(first);
    const answers = SECOND_WINDOW.map((p) => {
      const req = { key: newKey(), point: 'A', input: rs.code(p), scannedAt: new Date().toISOString(), mode: 'pooled' as const };
      return outbox1.submit({ event: 'scan', req }, () => {});
    });
    await vi.waitFor(() => expect(outbox1.pending).toBe(SECOND_WINDOW.length), { timeout: 30_000 });
    setActivePinia(second);
    const queue2 = useQueueStore(second);
    const outbox2 = useOutboxStore(second);
    await vi.waitFor(() => expect(outbox2.pending).toBe(SECOND_WINDOW.length), { timeout: 30_000 });

    const token = await rs.site.token('kiosk');
    const refusedToken = async () => {
      throw new Error('the kiosk token was refused');
    };
    const close1 = queue1.connect(async () => token, refusedToken);
    try {
      expect((await Promise.all(answers)).map((o) => o.kind)).toEqual(SECOND_WINDOW.map(() => 'added'));
      const close2 = queue2.connect(async () => token, refusedToken);
      try {
        // It does not say "still uploading 5" about scans the other window sent.
        await vi.waitFor(() => expect(outbox2.pending).toBe(0), { timeout: 30_000 });
      } finally {
        close2();
      }
    } finally {
      close1();
    }
  });
});
