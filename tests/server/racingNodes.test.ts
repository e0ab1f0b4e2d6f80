// Scans, undos, closes and calls racing on two PostgreSQL nodes, in interleavings fast-check draws:
// whatever the order the database ends up running them in, a tube's positions stay 1..n, a kiosk
// told "full" holds a full tube, nobody stands in two groups and the counts agree with the replies.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupView, Reply, ScanOutcome, Snapshot } from '../../shared/protocol';
import { ROUNDS_API } from '../../shared/roundsApi';
import { BACKENDS } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import { callNext, groupAction, ok, residents, scan, startSiteWithRoster, sync, type RosterSite } from './helpers';
import { ok as httpOk } from './roundsHttp';

const POOL = 5;
const PEOPLE = 40;
const NODES = 2;

type Op =
  | { kind: 'scan'; node: number; pick: number }
  | { kind: 'undo'; node: number; pick: number }
  | { kind: 'close'; node: number; pick: number }
  | { kind: 'call'; node: number };

const node = fc.integer({ min: 0, max: NODES - 1 });
const pick = fc.nat({ max: 1000 });
// Mostly scans, as at a real kiosk; enough undos and closes to race them.
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('scan' as const), node, pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('undo' as const), node, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), node, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('call' as const), node }) },
);
/** Operations sent at the same moment, then the next burst once all are answered. */
const bursts = fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 8 });

interface Placed {
  person: number;
  groupId: number;
  position: number;
  full: boolean;
}

/** What the replies of one run said, to be checked against the state the nodes end up in. */
class Ledger {
  readonly live = new Map<number, Placed>();
  /** Groups someone was taken out of: their earlier replies no longer describe them. */
  readonly undoneIn = new Set<number>();
  readonly groups = new Set<number>();
  readonly busy = new Set<number>();

  idlePerson(pick: number): number | null {
    const placed = new Set([...this.live.values()].map((p) => p.person));
    const idle = Array.from({ length: PEOPLE }, (_, k) => k).filter((k) => !placed.has(k) && !this.busy.has(k));
    return idle.length === 0 ? null : idle[pick % idle.length];
  }

  liveMember(pick: number): number | null {
    const ids = [...this.live.keys()].filter((id) => !this.busy.has(-id));
    return ids.length === 0 ? null : ids[pick % ids.length];
  }
}

/** Refusals a racing operation may meet: the group moved on, or the member is gone. Anything else fails the run. */
function refusedOrOk<T>(reply: Reply<T>, what: string): T | null {
  if (reply.ok) return reply.value;
  if (reply.error.code === 'conflict' || reply.error.code === 'not-found') return null;
  throw new Error(`${what}: ${reply.error.code}: ${reply.error.reason}`);
}

describe.each(BACKENDS.filter((b) => b === 'postgres+redis'))('racing writes on two nodes (%s)', (backend) => {
  const people = residents(0, PEOPLE);
  let rs: RosterSite;
  let kiosks: Listener[][];
  let volunteers: Listener[];

  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, people);
    kiosks = await Promise.all(
      Array.from({ length: NODES }, (_, n) => Promise.all([0, 1].map((k) => rs.site.connect('kiosk', `kiosk-${n}-${k}`, n)))),
    );
    volunteers = await Promise.all(Array.from({ length: NODES }, (_, n) => rs.site.connect('volunteer', `tablet-${n}`, n)));
  });
  afterAll(() => rs?.site.close());

  async function run(o: Op, ledger: Ledger, turn: number): Promise<void> {
    const kiosk = kiosks[o.node][turn % 2];
    switch (o.kind) {
      case 'scan': {
        const person = ledger.idlePerson(o.pick);
        if (person === null) return;
        ledger.busy.add(person);
        const outcome: ScanOutcome = ok(await scan(kiosk, rs.code(people[person])));
        ledger.busy.delete(person);
        // Everyone scanned is idle: they must be placed, never "already in a group".
        if (outcome.kind !== 'added') throw new Error(`scan of an idle person: ${JSON.stringify(outcome)}`);
        expect(outcome.group.position).toBeLessThanOrEqual(outcome.group.poolSize);
        expect(outcome.full).toBe(outcome.group.position === outcome.group.poolSize);
        ledger.groups.add(outcome.group.id);
        ledger.live.set(outcome.memberId, { person, groupId: outcome.group.id, position: outcome.group.position, full: outcome.full });
        return;
      }
      case 'undo': {
        const memberId = ledger.liveMember(o.pick);
        if (memberId === null) return;
        ledger.busy.add(-memberId);
        const reply: Reply<GroupView> = await kiosk.socket.timeout(10_000).emitWithAck('member:remove', { key: newKey(), memberId });
        ledger.busy.delete(-memberId);
        const group = refusedOrOk(reply, 'undo');
        if (!group) return;
        ledger.undoneIn.add(ledger.live.get(memberId)!.groupId);
        ledger.live.delete(memberId);
        return;
      }
      case 'close': {
        const groups = [...ledger.groups];
        if (groups.length === 0) return;
        refusedOrOk(await groupAction(kiosk, { groupId: groups[o.pick % groups.length], action: 'close' }), 'close');
        return;
      }
      case 'call': {
        const called = ok(await callNext(volunteers[o.node]));
        if (called) ledger.groups.add(called.id);
      }
    }
  }

  function checkInvariants(snap: Snapshot, ledger: Ledger): void {
    const present = (g: GroupView) => g.members.filter((m) => m.status !== 'absent');
    for (const g of snap.groups) {
      const positions = present(g)
        .map((m) => m.position)
        .sort((a, b) => a - b);
      expect(positions, `positions of ${g.label}`).toEqual(positions.map((_, k) => k + 1));
      expect(positions.length, `people in ${g.label}`).toBeLessThanOrEqual(g.poolSize);
      if (g.state === 'forming') expect(positions.length, `${g.label} is full but still forming`).toBeLessThan(g.poolSize);
    }
    // One tube fills at a time at a point.
    expect(snap.groups.filter((g) => g.state === 'forming' && g.kind === 'pooled').length).toBeLessThanOrEqual(1);

    // Nobody in two groups: the members standing are exactly those the replies placed and no undo took out.
    const standing = snap.groups.flatMap((g) => present(g).map((m) => ({ id: m.id, groupId: g.id, position: m.position })));
    expect(standing.map((m) => m.id).sort((a, b) => a - b)).toEqual([...ledger.live.keys()].sort((a, b) => a - b));
    expect(new Set([...ledger.live.values()].map((p) => p.person)).size).toBe(ledger.live.size);
    for (const m of standing) expect(ledger.live.get(m.id)!.groupId).toBe(m.groupId);

    // A reply no undo has changed since says where its person stands, and "full" means a full tube.
    const byGroup = new Map(snap.groups.map((g) => [g.id, g]));
    for (const [id, p] of ledger.live) {
      if (ledger.undoneIn.has(p.groupId)) continue;
      const g = byGroup.get(p.groupId)!;
      expect(standing.find((m) => m.id === id)!.position, `position told for member ${id} in ${g.label}`).toBe(p.position);
      if (p.full) {
        expect(present(g).length, `${g.label} was told full`).toBe(g.poolSize);
        expect(g.state).not.toBe('forming');
      }
    }

    expect(snap.counts.registered).toBe(ledger.live.size);
    expect(snap.counts.waitingGroups).toBe(snap.groups.filter((g) => g.state === 'waiting').length);
  }

  it('keeps positions dense, "full" true, everyone in one group and the counts right under any interleaving', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(bursts, async (plan) => {
        // A round of its own per run: nobody placed yet, point A filling tubes of 5.
        await httpOk(rs.site, ROUNDS_API.rounds, {
          json: { key: newKey(), name: `race ${++round}`, date: '2026-12-01', points: [{ code: 'A', name: 'A', poolSize: POOL }] },
        });
        const ledger = new Ledger();
        let turn = 0;
        for (const burst of plan) await Promise.all(burst.map((o) => run(o, ledger, turn++)));
        // The database's state, read on either node (both read the same PostgreSQL).
        checkInvariants(await sync(kiosks[round % NODES][0]), ledger);
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 120_000);
});
