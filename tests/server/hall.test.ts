// The hall at a sampling point: only so many groups indoors, called groups spread over the
// desks, a banner for everyone waiting, and members ticked off or moved at the door.
import { afterEach, describe, expect, it } from 'vitest';
import type { HallView } from '../../shared/hall';
import type { GroupView, Reply, ScanOutcome } from '../../shared/protocol';
import { BACKENDS, type Backend } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import {
  added,
  callNext,
  emitRaw,
  failure,
  groupAction,
  groupByLabel,
  markAbsent,
  ok,
  residents,
  scanAll,
  settled,
  startSiteWithRoster,
  sync,
  type RosterSite,
} from './helpers';

const PEOPLE = residents(0, 45);

const settings = (l: Listener, capacity: number | null, desks: number, point = 'A') =>
  emitRaw(l, 'hall:settings', { key: newKey(), point, capacity, desks }) as Promise<Reply<HallView>>;
const announce = (l: Listener, text: unknown) => emitRaw(l, 'hall:announce', { key: newKey(), text }) as Promise<Reply<HallView>>;
const present = (l: Listener, memberId: number, yes: boolean) =>
  emitRaw(l, 'member:present', { key: newKey(), memberId, present: yes }) as Promise<Reply<GroupView>>;
const move = (l: Listener, memberId: number) => emitRaw(l, 'member:move', { key: newKey(), memberId }) as Promise<Reply<ScanOutcome>>;

describe.each(BACKENDS)('the hall (%s)', (backend: Backend) => {
  let rs: RosterSite | undefined;
  afterEach(async () => {
    await rs?.site.close();
    rs = undefined;
  });

  /** A point with `groups` full groups of ten waiting, a kiosk, two tablets and the display. */
  async function hallWith(groups: number) {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const site = rs;
    const [kiosk, tablet1, tablet2, display] = await Promise.all([
      site.site.connect('kiosk', 'kiosk-1'),
      site.site.connect('volunteer', 'tablet-1'),
      site.site.connect('volunteer', 'tablet-2'),
      site.site.connect('display'),
    ]);
    // Each group of ten comes through a kiosk of its own, as at a point with several lines.
    for (let g = 0; g < groups; g++) {
      const line = g === 0 ? kiosk : await site.site.connect('kiosk', `kiosk-${g + 1}`);
      await scanAll(
        line,
        PEOPLE.slice(g * 10, g * 10 + 10).map((p) => site.code(p)),
      );
    }
    return { site, kiosk, tablet1, tablet2, display };
  }

  async function seal(kiosk: Listener, group: GroupView, tube: string) {
    ok(await groupAction(kiosk, { groupId: group.id, action: 'start', tubeCode: tube }));
    return ok(await groupAction(kiosk, { groupId: group.id, action: 'seal' }));
  }

  it('keeps the hall to its capacity, sends each called group to the least busy desk, and lets the next in once one is sampled', async () => {
    const { kiosk, tablet1, tablet2, display } = await hallWith(4);
    const hall = ok(await settings(tablet1, 2, 2));
    expect(hall.points).toEqual([{ point: 'A', capacity: 2, desks: 2 }]);

    const first = ok(await callNext(tablet1));
    const second = ok(await callNext(tablet2));
    expect([first?.label, first?.desk, second?.label, second?.desk]).toEqual(['A-001', 1, 'A-002', 2]);

    // Two groups are indoors: neither "call next" nor calling a chosen group lets a third in.
    const full = failure(await callNext(tablet1));
    expect(full.code).toBe('conflict');
    expect(full).toMatchObject({ reason: 'hall.full', params: { point: 'A', indoors: 2, capacity: 2 } });
    const a4 = groupByLabel((await sync(tablet2)).groups, 'A-004');
    expect(failure(await groupAction(tablet2, { groupId: a4.id, action: 'call' })).code).toBe('conflict');

    // Desk 1 finishes its group: the chosen group A-004 goes in, to desk 1.
    await seal(kiosk, first!, 'TUBE-0001');
    const chosen = ok(await groupAction(tablet2, { groupId: a4.id, action: 'call' }));
    expect([chosen.state, chosen.desk]).toEqual(['called', 1]);

    // Recalled, a group gives its desk back.
    const back = ok(await groupAction(tablet1, { groupId: second!.id, action: 'recall' }));
    expect([back.state, back.desk]).toEqual(['waiting', null]);

    // The display heard all of it: settings, desks, the recall.
    const view = await sync(display);
    expect(view.hall?.points[0]).toEqual({ point: 'A', capacity: 2, desks: 2 });
    expect(groupByLabel(view.groups, 'A-004').desk).toBe(1);
    expect(groupByLabel(view.groups, 'A-002').desk).toBeNull();
    await settled(display);
    expect(display.changes.some((c) => c.hall?.points[0].capacity === 2)).toBe(true);
  });

  it('lets three volunteers pressing "call next" at once fill the last two places with two different groups', async () => {
    const { tablet1, tablet2, display } = await hallWith(4);
    ok(await settings(tablet1, 2, 2));
    const replies = await Promise.all([callNext(tablet1), callNext(tablet2), callNext(tablet1)]);
    const called = replies.filter((r) => r.ok).map((r) => ok(r)!);
    expect(called).toHaveLength(2);
    expect(new Set(called.map((g) => g.label)).size).toBe(2);
    expect(called.map((g) => g.desk).sort()).toEqual([1, 2]);
    expect(failure(replies.find((r) => !r.ok)!).code).toBe('conflict');
    expect((await sync(display)).groups.filter((g) => g.state === 'called')).toHaveLength(2);
  });

  it('puts a banner on every display, keeps it across a restart, and refuses bad banners without changing anything', async () => {
    const { site, tablet1, display } = await hallWith(0);
    const put = ok(await announce(tablet1, '  请带好钥匙和身份证 '));
    expect(put.announcement?.text).toBe('请带好钥匙和身份证');
    await settled(display);
    expect(display.changes.at(-1)?.hall?.announcement?.text).toBe('请带好钥匙和身份证');

    const before = (await sync(display)).version;
    for (const bad of ['', 'x'.repeat(61), '两行\n文字', 42]) expect(failure(await announce(tablet1, bad)).code).toBe('invalid');
    expect(failure(await announce(display, '大屏不能发公告')).code).toBe('forbidden');
    expect((await sync(display)).version).toBe(before);

    await site.site.restart();
    const again = await site.site.connect('display');
    expect(again.snapshots[0].hall?.announcement?.text).toBe('请带好钥匙和身份证');
    const tablet = await site.site.connect('volunteer');
    expect(ok(await announce(tablet, null)).announcement).toBeNull();
    expect((await sync(again)).hall?.announcement).toBeNull();
  });

  it('refuses hall settings for an unknown point or out of bounds', async () => {
    const { tablet1, kiosk } = await hallWith(0);
    expect(failure(await settings(tablet1, 2, 1, 'Z')).code).toBe('not-found');
    expect(failure(await settings(tablet1, 0, 1)).code).toBe('invalid');
    expect(failure(await settings(tablet1, 2, 0)).code).toBe('invalid');
    expect(failure(await settings(kiosk, 2, 1)).code).toBe('forbidden');
  });

  it('ticks members off at the door and moves one who was absent into the group now forming', async () => {
    const { site, kiosk, tablet1, display } = await hallWith(2);
    // Three more people: A-003 is forming with them.
    await scanAll(
      kiosk,
      PEOPLE.slice(20, 23).map((p) => site.code(p)),
    );
    const a1 = ok(await callNext(tablet1))!;
    const [m1, m2] = a1.members;

    const ticked = ok(await present(tablet1, m1.id, true));
    expect(ticked.members.find((m) => m.id === m1.id)?.present).toBe(true);
    expect(ok(await present(tablet1, m1.id, false)).members.find((m) => m.id === m1.id)?.present).toBe(false);

    // m2 did not come; a queued member cannot be moved, an absent one can.
    expect(failure(await move(tablet1, m2.id)).code).toBe('conflict');
    ok(await markAbsent(tablet1, { memberId: m2.id }));
    expect(failure(await present(tablet1, m2.id, true)).code).toBe('conflict');
    const moved = added(await move(tablet1, m2.id));
    expect([moved.group.label, moved.group.position]).toEqual(['A-003', 4]);
    // Moved twice, they are not placed twice: the second move reports where they already are.
    const twice = ok(await move(tablet1, m2.id));
    expect(twice.kind === 'duplicate' && twice.previous.groupLabel).toBe('A-003');

    const view = await sync(display);
    expect(groupByLabel(view.groups, 'A-001').members.find((m) => m.id === m2.id)?.status).toBe('absent');
    expect(groupByLabel(view.groups, 'A-003').members).toHaveLength(4);
    expect(view.counts.registered).toBe(23);

    // Sampled groups are history: nobody in them is ticked or moved any more.
    const sealed = await seal(kiosk, a1, 'TUBE-0002');
    expect(failure(await present(tablet1, sealed.members[0].id, true)).code).toBe('conflict');
  });
});
