// The hall display (and the turn page) is public: it is shown groups, not why a group is special.
// A quarantined resident's single tube and a green-channel group read there as any other group,
// while kiosks, tablets and staff still see kind and priority (#12.12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupView } from '../../shared/protocol';
import { BACKENDS } from '../support/backends';
import { ok, resident, scan, startSiteWithRoster, sync, type RosterSite } from './helpers';

const quarantined = resident(0, ['quarantine']);
const elderly = resident(1, ['elderly']);

describe.each(BACKENDS)('what the display is shown of a group (%s)', (backend) => {
  let rs: RosterSite;
  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, [quarantined, elderly, resident(2)]);
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  const special = (groups: GroupView[]) => groups.filter((g) => g.members.length > 0);

  it('sends the display no kind or priority, in changes and snapshots, and the kiosk both', async () => {
    const display = await rs.site.connect('display');
    const tablet = await rs.site.connect('volunteer');
    const kiosk = await rs.site.connect('kiosk');
    ok(await scan(kiosk, rs.code(quarantined)));
    ok(await scan(kiosk, rs.code(elderly)));
    await display.untilVersion(2);
    await tablet.untilVersion(2);

    const shown = display.changes.flatMap((c) => c.groups);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    for (const g of shown) {
      expect(g).not.toHaveProperty('kind');
      expect(g).not.toHaveProperty('priority');
      expect(g.members.every((m) => /\*/.test(m.maskedName))).toBe(true);
    }
    const told = tablet.changes.flatMap((c) => c.groups);
    expect(told.map((g) => [g.kind, g.priority])).toEqual(
      expect.arrayContaining([
        ['single', false],
        ['pooled', true],
      ]),
    );

    for (const groups of [(await sync(display)).groups, (await rs.site.connect('display')).snapshots[0].groups]) {
      expect(special(groups)).toHaveLength(2);
      for (const g of groups) {
        expect(g).not.toHaveProperty('kind');
        expect(g).not.toHaveProperty('priority');
      }
    }
    const kioskSees = (await sync(kiosk)).groups;
    expect(kioskSees.map((g) => [g.kind, g.priority])).toEqual(
      expect.arrayContaining([
        ['single', false],
        ['pooled', true],
      ]),
    );
  });
});
