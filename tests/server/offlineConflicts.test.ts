// Scans replayed from a kiosk's offline outbox: duplicates dropped, conflicts flagged to staff,
// and an idempotency key never reused for a different request.
import { afterEach, describe, expect, it } from 'vitest';
import { CONFLICTS_PATH, type ScanConflict } from '../../shared/offlineScans';
import type { Reply, ScanOutcome, ScanRequest } from '../../shared/protocol';
import { BACKENDS, type Backend } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import { added, failure, groupAction, ok, residents, startSiteWithRoster, sync, walkIn, idNumberOf, type RosterSite } from './helpers';

const PEOPLE = residents(0, 8);
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

async function send(l: Listener, req: Omit<ScanRequest, 'point'> & { point?: string }): Promise<Reply<ScanOutcome>> {
  return l.socket.timeout(5000).emitWithAck('scan', { point: 'A', ...req });
}

describe.each(BACKENDS)('scans replayed from an offline outbox (%s)', (backend: Backend) => {
  let rs: RosterSite | undefined;
  afterEach(async () => {
    await rs?.site.close();
    rs = undefined;
  });

  async function conflicts(role: 'staff' | 'kiosk' | null = 'staff'): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = role ? { authorization: `Bearer ${await rs!.site.token(role)}` } : {};
    const res = await fetch(rs!.site.url + CONFLICTS_PATH, { headers });
    return { status: res.status, body: await res.json() };
  }

  it('answers a replayed scan with its first reply and places the person once', async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const kiosk = await rs.site.connect('kiosk', 'kiosk-1');
    const req = { key: newKey(), input: rs.code(PEOPLE[0]), scannedAt: minutesAgo(3), offline: true };
    const first = added(await send(kiosk, req));
    const again = added(await send(kiosk, req));
    expect(again).toEqual(first);
    const snap = await sync(kiosk);
    expect(snap.counts.registered).toBe(1);
    expect((await conflicts()).body).toEqual([]);
  });

  it('refuses a key replayed with a different request, and changes nothing', async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const kiosk = await rs.site.connect('kiosk', 'kiosk-1');
    const key = newKey();
    added(await send(kiosk, { key, input: rs.code(PEOPLE[0]) }));
    const refused = failure(await send(kiosk, { key, input: rs.code(PEOPLE[1]) }));
    expect(refused.code).toBe('conflict');
    expect(refused.reason).toBe('request.key-reused');
    // A walk-in's key is checked the same way.
    const walkKey = newKey();
    ok(await walkIn(kiosk, { key: walkKey, name: '访客甲', idNumber: idNumberOf(900, '310101') }));
    expect(failure(await walkIn(kiosk, { key: walkKey, name: '访客乙', idNumber: idNumberOf(901, '310101') })).code).toBe('conflict');
    // And a group action's: the same key cannot seal a group it did not open.
    const opened = added(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[2]) }));
    const closeKey = newKey();
    ok(await groupAction(kiosk, { key: closeKey, groupId: opened.group.id, action: 'close' }));
    expect(ok(await groupAction(kiosk, { key: closeKey, groupId: opened.group.id, action: 'close' })).state).toBe('waiting');
    expect(
      failure(await groupAction(kiosk, { key: closeKey, groupId: opened.group.id, action: 'start', tubeCode: 'TUBE-0001' })).code,
    ).toBe('conflict');
    const snap = await sync(kiosk);
    expect(snap.groups.find((g) => g.id === opened.group.id)?.tubeCode).toBeNull();
    expect(snap.counts.registered).toBe(3);
    expect(snap.groups.flatMap((g) => g.members)).toHaveLength(3);
  });

  it('refuses a key replayed with a different undo, move or hall request too', async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const kiosk = await rs.site.connect('kiosk', 'kiosk-1');
    const tablet = await rs.site.connect('volunteer', 'tablet-1');
    const [a, b] = [
      added(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[0]) })),
      added(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[1]) })),
    ];
    const undoKey = newKey();
    ok(await kiosk.socket.timeout(5000).emitWithAck('member:remove', { key: undoKey, memberId: a.memberId }));
    expect(failure(await kiosk.socket.timeout(5000).emitWithAck('member:remove', { key: undoKey, memberId: b.memberId })).code).toBe(
      'conflict',
    );
    expect(failure(await tablet.socket.timeout(5000).emitWithAck('member:move', { key: undoKey, memberId: b.memberId })).code).toBe(
      'conflict',
    );
    const bannerKey = newKey();
    ok(await tablet.socket.timeout(5000).emitWithAck('hall:announce', { key: bannerKey, text: '请戴好口罩' }));
    expect(failure(await tablet.socket.timeout(5000).emitWithAck('hall:announce', { key: bannerKey, text: '采样暂停' })).code).toBe(
      'conflict',
    );
    const snap = await sync(kiosk);
    expect(snap.groups.flatMap((g) => g.members).map((m) => m.id)).toEqual([b.memberId]);
    expect(snap.hall?.announcement?.text).toBe('请戴好口罩');
  });

  it('flags a person scanned at two kiosks while one was offline, for staff, without placing them twice', async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const online = await rs.site.connect('kiosk', 'kiosk-1');
    const offline = await rs.site.connect('kiosk', 'kiosk-2');
    const placed = added(await send(online, { key: newKey(), input: rs.code(PEOPLE[0]) }));

    // kiosk-2 took the same person ten minutes ago, without a connection; its outbox replays now.
    const key = newKey();
    const replay = { key, input: rs.code(PEOPLE[0]), scannedAt: minutesAgo(10), offline: true };
    const outcome = ok(await send(offline, replay));
    expect(outcome).toMatchObject({ kind: 'duplicate', previous: { groupLabel: placed.group.label, point: 'A' } });
    ok(await send(offline, replay)); // replayed twice: still one conflict

    const list = (await conflicts()).body as ScanConflict[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: PEOPLE[0].name,
      household: '1-1-101',
      scan: { point: 'A', device: 'kiosk-2', at: replay.scannedAt },
      previous: { point: 'A', groupLabel: placed.group.label },
    });
    expect((await sync(online)).counts.registered).toBe(1);

    // Only staff may read them.
    expect((await conflicts('kiosk')).status).toBe(403);
    expect((await conflicts(null)).status).toBe(401);
  });

  it('treats a scan that arrives long after it was taken as offline, and a fresh duplicate as an ordinary one', async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const kiosk = await rs.site.connect('kiosk', 'kiosk-1');
    added(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[1]) }));
    added(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[2]) }));
    // At the desk, a second scan of someone just placed: the kiosk warns at once; no conflict.
    expect(ok(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[1]), scannedAt: new Date().toISOString() })).kind).toBe('duplicate');
    // A scan that waited five minutes somewhere (no flag) is a conflict all the same.
    expect(ok(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[2]), scannedAt: minutesAgo(5) })).kind).toBe('duplicate');
    const list = (await conflicts()).body as ScanConflict[];
    expect(list.map((c) => c.name)).toEqual([PEOPLE[2].name]);
  });

  it('keeps conflicts across a restart', async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const kiosk = await rs.site.connect('kiosk', 'kiosk-1');
    added(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[3]) }));
    ok(await send(kiosk, { key: newKey(), input: rs.code(PEOPLE[3]), offline: true, scannedAt: minutesAgo(2) }));
    await rs.site.restart();
    expect(((await conflicts()).body as ScanConflict[]).map((c) => c.name)).toEqual([PEOPLE[3].name]);
  });
});
