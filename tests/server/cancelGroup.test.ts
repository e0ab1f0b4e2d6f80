import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_API } from '../../shared/labApi';
import { BACKENDS } from '../support/backends';
import type { Listener } from '../support/testServer';
import { added, failure, groupAction, ok, resident, residents, scan, sync, startSiteWithRoster, type RosterSite } from './helpers';

// A sampler scans the wrong code and a quarantined neighbour is routed to a single tube of their own.
// Undo at the kiosk withdraws that tube group before it is opened; the person can be scanned again.

describe.each(BACKENDS)('cancelling a group made by mistake (%s)', (backend) => {
  const quarantined = resident(300, ['quarantine']);
  const others = residents(0, 3);
  let rs: RosterSite;
  let kiosk: Listener;
  let volunteer: Listener;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, [quarantined, ...others]);
    kiosk = await rs.site.connect('kiosk', 'kiosk-A1');
    volunteer = await rs.site.connect('volunteer');
  });
  afterAll(() => rs?.site.close());

  it('withdraws a wrongly made single tube: gone from the queue, audited, and the person can be scanned again', async () => {
    const registered = (await sync(kiosk)).counts.registered;
    const first = ok(await scan(kiosk, rs.code(quarantined)));
    if (first.kind !== 'routed' || first.route !== 'single-tube') throw new Error(`expected a single tube, got ${first.kind}`);

    expect(failure(await groupAction(volunteer, { groupId: first.group.id, action: 'cancel' })).code).toBe('forbidden');
    const cancelled = ok(await groupAction(kiosk, { groupId: first.group.id, action: 'cancel' }));
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.members.every((m) => m.status === 'absent')).toBe(true);

    const snapshot = await sync(kiosk);
    expect(snapshot.groups.some((g) => g.id === first.group.id)).toBe(false);
    expect(snapshot.counts.registered).toBe(registered);
    const audit = await fetch(`${rs.site.url}${LAB_API.auditExport}?format=csv`, {
      headers: { authorization: `Bearer ${await rs.site.token('staff')}` },
    });
    const line = (await audit.text()).split(/\r?\n/).find((l) => l.includes('group:cancel'));
    expect(line).toContain(first.group.label);
    expect(line).toContain('kiosk-A1');

    const again = ok(await scan(kiosk, rs.code(quarantined)));
    expect(again).toMatchObject({ kind: 'routed', route: 'single-tube' });
    if (again.kind === 'routed' && again.route === 'single-tube') expect(again.group.id).not.toBe(first.group.id);
  });

  it('cannot cancel a group once it is called or its tube is open', async () => {
    const registered = (await sync(kiosk)).counts.registered;
    for (const p of others) added(await scan(kiosk, rs.code(p)));
    const group = (await sync(kiosk)).groups.find((g) => g.kind === 'pooled' && g.state === 'forming');
    expect(group).toBeDefined();
    ok(await groupAction(kiosk, { groupId: group!.id, action: 'close' }));
    ok(await groupAction(volunteer, { groupId: group!.id, action: 'call' }));
    expect(failure(await groupAction(kiosk, { groupId: group!.id, action: 'cancel' })).code).toBe('conflict');
    ok(await groupAction(kiosk, { groupId: group!.id, action: 'start', tubeCode: 'TUBE-CANCEL-1' }));
    expect(failure(await groupAction(kiosk, { groupId: group!.id, action: 'cancel' })).code).toBe('conflict');
    expect((await sync(kiosk)).counts.registered).toBe(registered + others.length);
  });
});
