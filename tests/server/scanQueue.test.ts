import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstVersion } from '../../shared/changeMerge';
import { maskIdNumber } from '../../shared/idNumber';
import { maskName } from '../../shared/names';
import type { Snapshot } from '../../shared/protocol';
import { BACKENDS } from '../support/backends';
import type { Listener } from '../support/testServer';
import {
  coveredVersions,
  added,
  applyChanges,
  failure,
  groupByLabel,
  idNumberOf,
  ok,
  resident,
  residents,
  scan,
  scanAll,
  settled,
  startSiteWithRoster,
  sync,
  viewOf,
  walkIn,
  type Added,
  type RosterSite,
} from './helpers';

describe.each(BACKENDS)('scanning residents into groups of ten (%s)', (backend) => {
  describe('25 residents scanned one after another at point A', () => {
    const people = residents(0, 25);
    let rs: RosterSite;
    let kiosk: Listener;
    let display: Listener;
    let acks: Added[];
    let after: Snapshot;

    beforeAll(async () => {
      rs = await startSiteWithRoster(backend, people);
      display = await rs.site.connect('display');
      kiosk = await rs.site.connect('kiosk', 'kiosk-A1');
      acks = await scanAll(
        kiosk,
        people.map((p) => rs.code(p)),
      );
      await settled(display);
      after = await sync(display);
    });
    afterAll(() => rs?.site.close());

    it('tells the kiosk each person’s group and place in it (k/10)', () => {
      expect(acks.map((a) => `${a.group.label} ${a.group.position}/${a.group.poolSize}`)).toEqual([
        ...Array.from({ length: 10 }, (_, k) => `A-001 ${k + 1}/10`),
        ...Array.from({ length: 10 }, (_, k) => `A-002 ${k + 1}/10`),
        ...Array.from({ length: 5 }, (_, k) => `A-003 ${k + 1}/10`),
      ]);
      // The kiosk shows the full name: the sampler checks who is standing there.
      expect(acks.map((a) => a.resident.name)).toEqual(people.map((p) => p.name));
    });

    it('starts A-002 with the eleventh person, once A-001 is full', () => {
      expect(acks[9]).toMatchObject({ full: true, group: { label: 'A-001', position: 10 } });
      expect(acks[10]).toMatchObject({ full: false, group: { label: 'A-002', position: 1 } });
      expect(acks.filter((a) => a.full).map((a) => a.group.label)).toEqual(['A-001', 'A-002']);
    });

    it('queues the two full groups and keeps the third one forming', () => {
      // The display is not told a group's kind (displayView.test.ts): these are pooled groups of ten.
      expect(after.groups.map((g) => [g.label, g.state, g.members.length, g.poolSize])).toEqual([
        ['A-001', 'waiting', 10, 10],
        ['A-002', 'waiting', 10, 10],
        ['A-003', 'forming', 5, 10],
      ]);
      expect(after.counts).toEqual({ registered: 25, sampled: 0, waitingGroups: 2 });
      const a3 = groupByLabel(after.groups, 'A-003');
      expect(a3.members.map((m) => [m.position, m.maskedName, m.status])).toEqual(
        people.slice(20).map((p, k) => [k + 1, maskName(p.name), 'queued']),
      );
    });

    it('sends the hall display every scan, in version order (runs of fast scans merged into one change)', () => {
      const start = display.snapshots[0].version;
      expect(coveredVersions(display.changes)).toEqual(Array.from({ length: 25 }, (_, k) => start + k + 1));
      acks.forEach((ack, k) => {
        const change = display.changes.find((c) => firstVersion(c) <= start + k + 1 && start + k + 1 <= c.version)!;
        const group = groupByLabel(change.groups, ack.group.label);
        expect(group.members.find((m) => m.position === ack.group.position)?.maskedName).toBe(maskName(people[k].name));
      });
    });

    it('lets the display’s own view (snapshot + changes) match a fresh snapshot exactly', () => {
      expect(applyChanges(display.snapshots[0], display.changes)).toEqual(viewOf(after));
      expect(after.version).toBe(display.snapshots[0].version + 25);
    });
  });

  describe('green channel (绿色通道)', () => {
    let rs: RosterSite;
    afterAll(() => rs?.site.close());

    it('puts elderly, pregnant and disabled residents in a priority group of their own', async () => {
      const normal = residents(0, 4);
      const infant = resident(4, ['infant']);
      const green = [resident(100, ['elderly']), resident(101, ['pregnant']), resident(102, ['disabled', 'immobile'])];
      rs = await startSiteWithRoster(backend, [...normal, infant, ...green]);
      const kiosk = await rs.site.connect('kiosk');
      const order = [normal[0], green[0], normal[1], green[1], normal[2], infant, green[2], normal[3]];
      const placed = await scanAll(
        kiosk,
        order.map((p) => rs.code(p)),
      );

      expect(placed.map((a) => `${a.resident.name} ${a.group.label} ${a.group.position}`)).toEqual([
        `${normal[0].name} A-001 1`,
        `${green[0].name} A-002 1`,
        `${normal[1].name} A-001 2`,
        `${green[1].name} A-002 2`,
        // An infant is not a green-channel tag: they queue with everyone else.
        `${normal[2].name} A-001 3`,
        `${infant.name} A-001 4`,
        `${green[2].name} A-002 3`,
        `${normal[3].name} A-001 5`,
      ]);
      const { groups } = await sync(kiosk);
      expect(groups.map((g) => [g.label, g.priority, g.state, g.members.length])).toEqual([
        ['A-001', false, 'forming', 5],
        ['A-002', true, 'forming', 3],
      ]);
    });
  });

  describe('special cases at the kiosk', () => {
    const everyone = residents(0, 12);
    const quarantined = resident(200, ['quarantine']);
    const sealed = resident(201, ['sealed', 'elderly']);
    // Someone whose ID number ends in X: people often type it as a lower-case x.
    const withX = resident(Array.from({ length: 100 }, (_, k) => 300 + k).find((i) => idNumberOf(i).endsWith('X'))!);
    let rs: RosterSite;
    let kiosk: Listener;

    beforeAll(async () => {
      rs = await startSiteWithRoster(backend, [...everyone, quarantined, sealed, withX]);
      kiosk = await rs.site.connect('kiosk');
    });
    afterAll(() => rs?.site.close());

    it('routes a quarantined resident to a single tube: a group of their own, pool size 1', async () => {
      const outcome = ok(await scan(kiosk, rs.code(quarantined)));
      expect(outcome).toMatchObject({ kind: 'routed', route: 'single-tube', resident: { name: quarantined.name } });
      if (outcome.kind !== 'routed' || outcome.route !== 'single-tube') return;
      const group = (await sync(kiosk)).groups.find((g) => g.id === outcome.group.id);
      expect(group).toMatchObject({ label: outcome.group.label, kind: 'single', poolSize: 1, state: 'waiting' });
      expect(group?.members.map((m) => m.maskedName)).toEqual([maskName(quarantined.name)]);
      // The next ordinary resident does not join that tube.
      const next = added(await scan(kiosk, rs.code(everyone[0])));
      expect(next.group.id).not.toBe(outcome.group.id);
      expect(next.group.poolSize).toBe(10);
    });

    it('sends a sealed-building resident home, in no group and with nothing written', async () => {
      const before = await sync(kiosk);
      const outcome = ok(await scan(kiosk, rs.code(sealed)));
      expect(outcome).toEqual({
        kind: 'routed',
        route: 'home',
        resident: { name: sealed.name, household: `1-1-${sealed.room}`, tags: ['elderly', 'sealed'] },
      });
      const now = await sync(kiosk);
      expect(now.version).toBe(before.version);
      expect(now.counts).toEqual(before.counts);
      expect(JSON.stringify(now.groups)).not.toContain(maskName(sealed.name));
      // Scanned again, they are sent home again: not "already sampled".
      expect(ok(await scan(kiosk, rs.code(sealed)))).toMatchObject({ kind: 'routed', route: 'home' });
    });

    it('finds the same resident by their 18-character ID number as by their code', async () => {
      const person = everyone[5];
      const byId = added(await scan(kiosk, person.idNumber));
      expect(byId.resident.name).toBe(person.name);
      const byCode = ok(await scan(kiosk, rs.code(person)));
      expect(byCode).toMatchObject({ kind: 'duplicate', resident: { name: person.name }, previous: { groupLabel: byId.group.label } });
    });

    it('reads an ID number typed with a lower-case x and spaces', async () => {
      const typed = `${withX.idNumber.slice(0, 6)} ${withX.idNumber.slice(6, 14)} ${withX.idNumber.slice(14).toLowerCase()}`;
      expect(added(await scan(kiosk, typed)).resident.name).toBe(withX.name);
    });

    it('reports a valid ID number not on the roster masked, then a walk-in adds the person to a group', async () => {
      const stranger = idNumberOf(7, '310104');
      const outcome = ok(await scan(kiosk, stranger));
      expect(outcome).toEqual({ kind: 'not-on-roster', idType: 'resident-id', maskedIdNumber: maskIdNumber(stranger) });
      expect(JSON.stringify(outcome)).not.toContain(stranger.slice(4, 14));

      const placed = added(await walkIn(kiosk, { name: '赵临时', idNumber: stranger, phone: '13912345678', building: '9', room: '101' }));
      expect(placed.resident).toMatchObject({ name: '赵临时', tags: ['walk-in'] });
      const group = (await sync(kiosk)).groups.find((g) => g.id === placed.group.id);
      expect(group?.members.find((m) => m.position === placed.group.position)?.maskedName).toBe('赵*时');
      // Now on the roster: scanning the ID number again finds them already queued.
      expect(ok(await scan(kiosk, stranger))).toMatchObject({ kind: 'duplicate', previous: { groupLabel: placed.group.label } });
    });

    it('refuses a walk-in with an invalid ID number, writing nothing', async () => {
      const before = await sync(kiosk);
      const bad = idNumberOf(8, '310104').slice(0, 17) + (idNumberOf(8, '310104').endsWith('0') ? '1' : '0');
      const error = failure(await walkIn(kiosk, { name: '钱错号', idNumber: bad }));
      expect(error.code).toBe('invalid');
      expect((await sync(kiosk)).version).toBe(before.version);
    });
  });
});
