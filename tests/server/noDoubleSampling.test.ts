// 不重采: nobody is placed twice in one round, whatever the kiosks do at the same moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import {
  coveredVersions,
  expectVersionsFor,
  added,
  applyChanges,
  ok,
  residents,
  scan,
  settled,
  startSiteWithRoster,
  sync,
  viewOf,
  type RosterSite,
} from './helpers';

describe.each(BACKENDS)('no double sampling (%s)', (backend) => {
  describe('at a busy point with two kiosks', () => {
    const people = residents(0, 40);
    let rs: RosterSite;
    let kioskA: Listener;
    let kioskB: Listener;
    let display: Listener;

    beforeAll(async () => {
      rs = await startSiteWithRoster(backend, people);
      [kioskA, kioskB, display] = await Promise.all([
        rs.site.connect('kiosk', 'kiosk-1'),
        rs.site.connect('kiosk', 'kiosk-2'),
        rs.site.connect('display'),
      ]);
    });
    afterAll(() => rs?.site.close());

    it('tells the kiosk a resident scanned twice is already queued, naming the point and group', async () => {
      const person = people[0];
      const first = added(await scan(kioskA, rs.code(person)));
      const before = await sync(display);
      const second = ok(await scan(kioskB, rs.code(person)));
      expect(second).toMatchObject({
        kind: 'duplicate',
        resident: { name: person.name },
        previous: { point: 'A', groupLabel: first.group.label },
      });
      if (second.kind === 'duplicate') expect(new Date(second.previous.at).toISOString()).toBe(second.previous.at);
      const after = await sync(display);
      expect(after.version).toBe(before.version);
      expect(after.counts.registered).toBe(before.counts.registered);
    });

    it('adds a person scanned at two kiosks at the same moment exactly once', async () => {
      const pairs = people.slice(1, 7);
      const before = await sync(display);
      const replies = await Promise.all(pairs.flatMap((p) => [scan(kioskA, rs.code(p)), scan(kioskB, rs.code(p))]));
      pairs.forEach((p, k) => {
        const outcomes = [ok(replies[2 * k]), ok(replies[2 * k + 1])];
        const adds = outcomes.filter((o) => o.kind === 'added');
        const dups = outcomes.filter((o) => o.kind === 'duplicate');
        expect(adds, p.name).toHaveLength(1);
        expect(dups, p.name).toHaveLength(1);
        if (adds[0].kind === 'added' && dups[0].kind === 'duplicate') expect(dups[0].previous.groupLabel).toBe(adds[0].group.label);
      });
      const after = await sync(display);
      expect(after.counts.registered - before.counts.registered).toBe(pairs.length);
      expectVersionsFor(after.version - before.version, pairs.length);
    });

    it('answers a replayed request (same key) with the identical reply and writes it once', async () => {
      const before = await settled(display);
      const key = newKey();
      const first = await scan(kioskA, rs.code(people[10]), { key });
      // The kiosk's outbox resends after a dropped connection.
      const replay = await scan(kioskA, rs.code(people[10]), { key });
      expect(added(first).resident.name).toBe(people[10].name);
      expect(replay).toEqual(first);
      const after = await settled(display);
      expect(after - before).toBe(1);
      expect(coveredVersions(display.changes).filter((v) => v > before)).toHaveLength(1);
    });

    it('answers the same key sent from two sockets at once identically, writing once', async () => {
      const before = await sync(display);
      const keys = [newKey(), newKey(), newKey()];
      const who = people.slice(11, 14);
      const replies = await Promise.all(
        who.flatMap((p, k) => [
          scan(kioskA, rs.code(p), { key: keys[k] }),
          scan(kioskB, rs.code(p), { key: keys[k] }),
          scan(kioskA, rs.code(p), { key: keys[k] }),
        ]),
      );
      who.forEach((p, k) => {
        const [a, b, c] = replies.slice(3 * k, 3 * k + 3);
        expect(added(a).resident.name).toBe(p.name);
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      });
      const after = await settled(display);
      expectVersionsFor(after - before.version, who.length);
      expect(coveredVersions(display.changes).filter((v) => v > before.version)).toHaveLength(after - before.version);
      const { counts, groups } = await sync(display);
      expect(counts.registered - before.counts.registered).toBe(who.length);
      expect(groups.every((g) => g.members.length <= g.poolSize)).toBe(true);
    });
  });

  describe('40 residents scanned at the same moment from 4 kiosks', () => {
    const people = residents(0, 40);
    let rs: RosterSite;
    afterAll(() => rs?.site.close());

    it('fills four groups with positions 1..10 each used once, none over its pool size', async () => {
      rs = await startSiteWithRoster(backend, people);
      const display = await rs.site.connect('display');
      const kiosks = await Promise.all([1, 2, 3, 4].map((n) => rs.site.connect('kiosk', `kiosk-${n}`)));
      const replies = await Promise.all(people.map((p, k) => scan(kiosks[k % 4], rs.code(p))));
      const placed = replies.map(added);

      const positions = new Map<string, number[]>();
      for (const a of placed) positions.set(a.group.label, [...(positions.get(a.group.label) ?? []), a.group.position]);
      expect([...positions.keys()].sort()).toEqual(['A-001', 'A-002', 'A-003', 'A-004']);
      for (const [label, list] of positions)
        expect(
          [...list].sort((x, y) => x - y),
          label,
        ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(placed.filter((a) => a.full)).toHaveLength(4);

      await settled(display);
      const snapshot = await sync(display);
      for (const g of snapshot.groups) {
        expect(g.members.length).toBeLessThanOrEqual(g.poolSize);
        expect(g.members.map((m) => m.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(g.state).toBe('waiting');
      }
      expect(snapshot.counts).toEqual({ registered: 40, sampled: 0, waitingGroups: 4 });
      // Forty writes, a version for each group commit, none skipped: the display's own view is the server's.
      expectVersionsFor(snapshot.version, 40);
      expect(coveredVersions(display.changes)).toEqual(Array.from({ length: snapshot.version }, (_, k) => k + 1));
      expect(applyChanges(display.snapshots[0], display.changes)).toEqual(viewOf(snapshot));
    });
  });
});
