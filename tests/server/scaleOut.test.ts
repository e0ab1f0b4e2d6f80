// Scale-out: two nodes behind a balancer serve one community. Placement, numbering and calls are
// decided by PostgreSQL (row locks, unique indexes), never by one node's memory; changes reach
// clients on either node through the Redis stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import {
  added,
  applyChanges,
  callNext,
  expectVersionsFor,
  groupByLabel,
  ok,
  residents,
  scan,
  settled,
  startSiteWithRoster,
  sync,
  type RosterSite,
} from './helpers';

const NODE_1 = 0;
const NODE_2 = 1;

describe.each(BACKENDS.filter((b) => b === 'postgres+redis'))('two nodes, one community (%s)', (backend) => {
  const people = residents(0, 202);
  let rs: RosterSite;
  let display: Listener;

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, people);
    display = await rs.site.connect('display', undefined, NODE_2);
  });
  afterAll(() => rs?.site.close());

  it('runs two nodes on one database', () => {
    expect(rs.site.servers).toHaveLength(2);
    expect(rs.site.servers[0].url).not.toBe(rs.site.servers[1].url);
  });

  it('shows a scan taken at a kiosk on node 1 on a display on node 2', async () => {
    const kiosk = await rs.site.connect('kiosk', 'kiosk-n1', NODE_1);
    const before = (await sync(display)).version;
    const placed = added(await scan(kiosk, rs.code(people[200])));
    await display.untilVersion(before + 1);
    const change = display.changes.find((c) => c.version === before + 1)!;
    expect(change.groups.map((g) => g.id)).toContain(placed.group.id);
  });

  it('adds a resident scanned on both nodes at the same moment once', async () => {
    const [k1, k2] = [await rs.site.connect('kiosk', 'kiosk-a', NODE_1), await rs.site.connect('kiosk', 'kiosk-b', NODE_2)];
    const person = people[201];
    const outcomes = (await Promise.all([scan(k1, rs.code(person)), scan(k2, rs.code(person))])).map(ok);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['added', 'duplicate']);
  });

  it('numbers groups consecutively across nodes when 200 people are scanned at once', async () => {
    const before = await sync(display);
    const kiosks = await Promise.all(Array.from({ length: 10 }, (_, k) => rs.site.connect('kiosk', `kiosk-${k}`, k % 2)));
    // 200 placements at one point run one at a time (the point row lock): allow the last one time.
    const replies = await Promise.all(
      people
        .slice(0, 200)
        .map((p, k) => kiosks[k % 10].socket.timeout(30_000).emitWithAck('scan', { key: newKey(), point: 'A', input: rs.code(p) })),
    );
    const placed = replies.map(added);

    const version = await settled(display);
    const { groups, counts } = await sync(display);
    expect(counts.registered - before.counts.registered).toBe(200);
    // A version per group commit, none lost or doubled between the nodes.
    expectVersionsFor(version - before.version, 200);
    expect(applyChanges(display.snapshots[0], display.changes).groups).toEqual(groups);

    const labels = [...new Set(groups.map((g) => g.label))].sort();
    const seqs = labels.map((l) => Number(l.slice(2)));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, k) => k + 1));
    for (const g of groups) {
      expect(g.members.length, g.label).toBeLessThanOrEqual(g.poolSize);
      expect(new Set(g.members.map((m) => m.position)).size, g.label).toBe(g.members.length);
    }
    const ids = new Set(placed.map((a) => `${a.group.id}:${a.group.position}`));
    expect(ids.size).toBe(200);
  });

  it('gives two volunteers on different nodes calling at once two different groups', async () => {
    const [v1, v2] = [await rs.site.connect('volunteer', 'tablet-1', NODE_1), await rs.site.connect('volunteer', 'tablet-2', NODE_2)];
    const waitingBefore = (await sync(display)).groups.filter((g) => g.state === 'waiting').length;
    const calls = (await Promise.all([callNext(v1), callNext(v2), callNext(v1), callNext(v2)])).map(ok);
    const called = calls.filter((g) => g !== null).map((g) => g!.label);
    expect(called).toHaveLength(Math.min(4, waitingBefore));
    expect(new Set(called).size).toBe(called.length);
    const { groups } = await sync(display);
    for (const label of called) expect(groupByLabel(groups, label).state).toBe('called');
  });
});
