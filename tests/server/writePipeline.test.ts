// The write pipeline on its own, against each database: a key's reply, its fingerprint, replies
// stored before fingerprints named the operation (kiosk outboxes replaying across an upgrade), and
// what reaches the change bus.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../shared/protocol';
import { ActionError } from '../../server/queue/actionError';
import { KyselyStore } from '../../server/store/kyselyStore';
import { ChangeBus } from '../../server/write/changeBus';
import { WritePipeline } from '../../server/write/writePipeline';
import { DATABASES, freshConnection } from '../support/backends';

/** The fingerprint the queue stored before the pipeline: sha256 of the request's canonical JSON. */
function oldHash(request: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries(request).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('base64url');
}

describe.each(DATABASES)('write pipeline (%s)', (database) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open() {
    const { conn, drop } = await freshConnection(database);
    cleanups.push(drop);
    const store = await KyselyStore.open(conn);
    const at = new Date().toISOString();
    await store.write(async (tx) => {
      await tx.rounds().insertPoint('A', 'A', 10, at);
      await tx.rounds().open('r', '2026-12-01', at);
    });
    const bus = new ChangeBus();
    const changes: Change[] = [];
    bus.subscribe((c) => changes.push(c));
    return { store, pipeline: new WritePipeline(store, bus), changes };
  }
  /** A write that counts its runs and says so in a setting. */
  const counted =
    (runs: { n: number }, reply: unknown, announce = true) =>
    async (tx: Parameters<Parameters<WritePipeline['run']>[3]>[0]) => {
      runs.n++;
      await tx.putSetting(`run-${runs.n}`, 'x', true);
      return { reply, announce: announce ? {} : null };
    };

  it('runs a keyed write once, announces it once, and refuses the key for another request or operation', async () => {
    const { pipeline, changes } = await open();
    const runs = { n: 0 };
    const req = { key: 'key-00000001', memberId: 1 };
    expect(await pipeline.run('member:present', req.key, req, counted(runs, 'first'))).toBe('first');
    expect(await pipeline.run('member:present', req.key, req, counted(runs, 'second'))).toBe('first');
    await expect(pipeline.run('member:present', req.key, { ...req, memberId: 2 }, counted(runs, 'x'))).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(pipeline.run('member:absent', req.key, req, counted(runs, 'x'))).rejects.toBeInstanceOf(ActionError);
    expect(runs.n).toBe(1);
    expect(changes.map((c) => c.version)).toEqual([1]);
  });

  it('leaves the varying fields out of the fingerprint, and nothing else', async () => {
    const { pipeline } = await open();
    const runs = { n: 0 };
    const scan = { key: 'key-00000002', point: 'A', input: 'NQ1:x:y' };
    const opts = { grouped: true, vary: ['offline', 'scannedAt'] };
    await pipeline.run('scan', scan.key, scan, counted(runs, 'placed'), opts);
    expect(
      await pipeline.run('scan', scan.key, { ...scan, offline: true, scannedAt: '2026-12-01T08:00:00.000Z' }, counted(runs, 'x'), opts),
    ).toBe('placed');
    await expect(pipeline.run('scan', scan.key, { ...scan, point: 'B' }, counted(runs, 'x'), opts)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(runs.n).toBe(1);
  });

  it('finds replies stored before the upgrade: by the whole request hash, and without one only for the writes that kept none', async () => {
    const { store, pipeline } = await open();
    const scan = { key: 'key-00000003', point: 'A', input: 'NQ1:a:b', offline: true };
    const at = new Date().toISOString();
    await store.write(async (tx) => {
      await tx.saveReplies([
        { key: scan.key, reply: JSON.stringify('placed before the upgrade'), at, requestHash: oldHash(scan) },
        { key: 'key-00000004', reply: JSON.stringify({ tubeCode: 'HV1', label: 'HOME-001', visitIds: [1] }), at, requestHash: null },
      ]);
    });
    const runs = { n: 0 };
    expect(await pipeline.run('scan', scan.key, scan, counted(runs, 'x'), { vary: ['offline', 'scannedAt'] })).toBe(
      'placed before the upgrade',
    );
    await expect(pipeline.run('scan', scan.key, { ...scan, input: 'NQ1:c:d' }, counted(runs, 'x'))).rejects.toMatchObject({
      code: 'conflict',
    });
    // A home sample's reply (kept without a fingerprint) answers its own retry, never a scan.
    const sample = { key: 'key-00000004', kind: 'single', tubeCode: 'HV1', inputs: ['NQ1:a:b'] };
    expect(await pipeline.run('home:sample', sample.key, sample, counted(runs, 'x'))).toMatchObject({ label: 'HOME-001' });
    await expect(
      pipeline.run('scan', sample.key, { key: sample.key, point: 'A', input: 'NQ1:a:b' }, counted(runs, 'x')),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(runs.n).toBe(0);
  });

  it('writes without a key each time and announces only what asks to be', async () => {
    const { store, pipeline, changes } = await open();
    const runs = { n: 0 };
    await pipeline.run('lab:open-box', null, null, counted(runs, 'a', false));
    await pipeline.run('lab:open-box', null, null, counted(runs, 'b', false));
    await pipeline.run('schedule:set', null, null, async () => ({ reply: null, announce: { schedule: [] } }));
    await pipeline.run('round:open', null, null, async () => ({ reply: null, announce: { newRound: true } }));
    expect(runs.n).toBe(2);
    expect(await store.read((tx) => tx.setting('run-2'))).toBe('x');
    // A new round skips a version on purpose: every client sees the gap and takes a snapshot.
    expect(changes.map((c) => [c.version, c.schedule ?? null])).toEqual([
      [1, []],
      [3, null],
    ]);
  });

  it('writes nothing and announces nothing when the write fails', async () => {
    const { store, pipeline, changes } = await open();
    const req = { key: 'key-00000005' };
    await expect(
      pipeline.run('hall:announce', req.key, req, async (tx) => {
        await tx.putSetting('half', 'done', true);
        throw new ActionError('request.invalid', { fields: 'half' });
      }),
    ).rejects.toMatchObject({ code: 'invalid' });
    expect(await store.read((tx) => tx.setting('half'))).toBeNull();
    expect(await store.read((tx) => tx.findReply(req.key))).toBeNull();
    expect(changes).toEqual([]);
  });

  it('gives the grouped writes that arrive together one version and one change, and answers a key repeated among them from its first run', async () => {
    const { store, pipeline, changes } = await open();
    const runs = { n: 0 };
    const grouped = { grouped: true, lane: 'A' };
    const req = (k: number) => ({ key: `key-1000000${k}` });
    const replies = await Promise.all([
      pipeline.run('hall:announce', req(1).key, req(1), counted(runs, 'one'), grouped),
      pipeline.run('hall:announce', req(2).key, req(2), counted(runs, 'two'), grouped),
      pipeline.run('hall:announce', req(1).key, req(1), counted(runs, 'again'), grouped),
      pipeline.run('hall:announce', req(3).key, req(3), counted(runs, 'quiet', false), grouped),
    ]);
    expect(replies).toEqual(['one', 'two', 'one', 'quiet']);
    expect(runs.n).toBe(3);
    expect(changes.map((c) => c.version)).toEqual([1]);
    // Every key's reply was saved, the quiet write's too: a replay after the commit is answered from it.
    expect(await pipeline.run('hall:announce', req(3).key, req(3), counted(runs, 'x'), grouped)).toBe('quiet');
    expect(await store.read(async (tx) => [...(await tx.findReplies([1, 2, 3].map((k) => req(k).key))).keys()].sort())).toEqual(
      [1, 2, 3].map((k) => req(k).key),
    );
    expect(runs.n).toBe(3);
  });

  it('runs a write of many steps once per key: a replay, even while it runs, gets its reply; another request is refused before a step', async () => {
    const { store, pipeline, changes } = await open();
    const steps = { n: 0 };
    const long =
      (reply: string) => async (step: <S>(fn: (tx: Parameters<Parameters<WritePipeline['run']>[3]>[0]) => Promise<S>) => Promise<S>) => {
        for (let i = 0; i < 3; i++) await step(async (tx) => tx.putSetting(`step-${++steps.n}`, reply, true));
        return async () => ({ reply, announce: {} });
      };
    const req = { file: 'sha-1', filename: 'a.csv' };
    const [first, racing] = await Promise.all([
      pipeline.runInSteps('roster:import', 'key-long-0001', req, long('first')),
      pipeline.runInSteps('roster:import', 'key-long-0001', req, long('second')),
    ]);
    expect([first, racing]).toEqual(['first', 'first']);
    expect(await pipeline.runInSteps('roster:import', 'key-long-0001', req, long('third'))).toBe('first');
    await expect(pipeline.runInSteps('roster:import', 'key-long-0001', { ...req, file: 'sha-2' }, long('other'))).rejects.toMatchObject({
      reason: 'request.key-reused',
    });
    // Three steps, each its own transaction, ran once; one change was announced.
    expect(steps.n).toBe(3);
    expect(await store.read((tx) => tx.setting('step-3'))).toBe('first');
    expect(changes).toHaveLength(1);
  });
});
