// "Start now": a waiting group let straight in to a desk with its labelled tube is called in the same
// step, so the hall display, which announces calls, never misses a group that skipped the queue.
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupView, Reply } from '../../shared/protocol';
import { BACKENDS, type Backend } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import { failure, groupAction, ok, residents, scanAll, startSiteWithRoster, sync, type RosterSite } from './helpers';

const PEOPLE = residents(0, 20);

async function tubeLabel(l: Listener, groupId: number): Promise<Reply<GroupView>> {
  return l.socket.timeout(5000).emitWithAck('tube:label', { key: newKey(), groupId });
}

describe.each(BACKENDS)('start now (%s)', (backend: Backend) => {
  let rs: RosterSite | undefined;
  afterEach(async () => {
    await rs?.site.close();
    rs = undefined;
  });

  it('a volunteer starts a waiting, never-called group with its labelled tube: it is sampling, called and at a desk, on every screen', async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const kiosk = await rs.site.connect('kiosk', 'kiosk-1');
    const volunteer = await rs.site.connect('volunteer', 'tablet');
    const display = await rs.site.connect('display');
    const [first] = await scanAll(
      kiosk,
      PEOPLE.slice(0, 10).map((p) => rs!.code(p)),
    );
    const tube = ok(await tubeLabel(kiosk, first.group.id)).tubeCode!;

    const started = ok(await groupAction(volunteer, { groupId: first.group.id, action: 'start-now' }));
    expect(started).toMatchObject({ state: 'sampling', tubeCode: tube, desk: 1 });
    expect(started.calledAt).not.toBeNull();
    // The display sees the call: the same group, sampling, with the time it was called.
    await expect
      .poll(() => display.changes.flatMap((c) => c.groups).find((g) => g.id === first.group.id && g.state === 'sampling')?.calledAt ?? null)
      .toBe(started.calledAt);
    // The desk seals it as any other.
    expect(ok(await groupAction(kiosk, { groupId: first.group.id, action: 'seal' })).state).toBe('sampled');
  });

  it('needs a tube, and only a waiting group starts now', async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    const kiosk = await rs.site.connect('kiosk', 'kiosk-1');
    const volunteer = await rs.site.connect('volunteer', 'tablet');
    const [a, b] = [
      await scanAll(
        kiosk,
        PEOPLE.slice(0, 10).map((p) => rs!.code(p)),
      ),
      await scanAll(
        kiosk,
        PEOPLE.slice(10, 20).map((p) => rs!.code(p)),
      ),
    ];
    // No tube labelled and none scanned: refused, and the group still waits.
    expect(failure(await groupAction(volunteer, { groupId: a[0].group.id, action: 'start-now' })).code).toBe('invalid');
    expect((await sync(volunteer)).groups.find((g) => g.id === a[0].group.id)).toMatchObject({ state: 'waiting', calledAt: null });
    // A called group is started by its desk as before, not "now".
    ok(await groupAction(volunteer, { groupId: b[0].group.id, action: 'call' }));
    expect(failure(await groupAction(kiosk, { groupId: b[0].group.id, action: 'start-now', tubeCode: 'TUBE-0001' })).code).toBe('conflict');
  });
});
