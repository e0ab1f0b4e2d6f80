import { describe, expect, it } from 'vitest';
import { POLL_MAX_S, POLL_MIN_S } from '../../shared/poll';
import type { GroupView } from '../../shared/protocol';
import { TURN_POLL_S_PER_AHEAD, turnPollS, turnViews } from '../../shared/turnView';
import { groupView } from '../support/groupView';

const now = new Date('2026-04-01T10:00:00Z');
const ago = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const group = (id: number, state: GroupView['state'], extra: Partial<GroupView> = {}): GroupView =>
  groupView(id, state, { createdAt: ago(30), ...extra });

describe("a resident's turn page", () => {
  it('counts the called groups and the waiting groups that go first, the green channel before arrival order', () => {
    const views = turnViews(
      [
        group(1, 'called', { desk: 2, calledAt: ago(3) }),
        group(2, 'waiting'),
        group(3, 'waiting'),
        group(4, 'waiting', { priority: true }),
        group(5, 'forming'),
        group(6, 'waiting', { point: 'B' }),
        group(7, 'waiting', { priority: true }),
        group(8, 'cancelled'),
      ],
      now,
    );
    const ahead = (id: number) => views.get(id)?.ahead;
    expect(ahead(4)).toBe(1); // after A-001 indoors
    expect(ahead(7)).toBe(2); // the second green-channel group
    expect(ahead(2)).toBe(3); // A-001, then both green-channel groups
    expect(ahead(3)).toBe(4);
    expect(ahead(5)).toBe(5); // still forming: every called and waiting group goes first
    expect(ahead(1)).toBe(0);
    expect(ahead(6)).toBe(0); // point B's own line
    expect(views.has(8)).toBe(false);
  });

  it("tells the phone the group's label, state, place, wait, desk and when to ask again, and no names", () => {
    const sealed = [1, 2, 3].map((id) => group(id, 'sampled', { calledAt: ago(20 - id * 4), sampledAt: ago(16 - id * 4) }));
    const views = turnViews([...sealed, group(4, 'called', { desk: 3, calledAt: ago(1) }), group(5, 'waiting')], now);
    const waiting = views.get(5);
    expect(waiting).toEqual({ id: 5, label: 'A-005', state: 'waiting', ahead: 1, minutes: 4, desk: null, pollS: POLL_MIN_S });
    expect(JSON.stringify(waiting)).not.toContain('张');
    expect(views.get(4)).toEqual({ id: 4, label: 'A-004', state: 'called', ahead: 0, minutes: null, desk: 3, pollS: POLL_MIN_S });
    expect(views.get(1)).toMatchObject({ state: 'sampled', pollS: POLL_MAX_S });
    expect(views.get(9)).toBeUndefined();
  });
});

describe('how long a turn page waits before asking again', () => {
  it('asks every few seconds when its group is next or called, less often the further back it is, at most once a minute', () => {
    expect(turnPollS('waiting', 0)).toBe(POLL_MIN_S);
    expect(turnPollS('waiting', 1)).toBe(POLL_MIN_S);
    expect(turnPollS('called', 0)).toBe(POLL_MIN_S);
    expect(turnPollS('waiting', 4)).toBe(4 * TURN_POLL_S_PER_AHEAD);
    expect(turnPollS('forming', 10)).toBe(10 * TURN_POLL_S_PER_AHEAD);
    expect(turnPollS('waiting', 20)).toBe(POLL_MAX_S);
    expect(turnPollS('waiting', 500)).toBe(POLL_MAX_S);
    expect(turnPollS('sampled', 0)).toBe(POLL_MAX_S);
    for (let a = 1; a < 100; a++) expect(turnPollS('waiting', a)).toBeGreaterThanOrEqual(turnPollS('waiting', a - 1));
  });

  it("keeps a point's answers a second about the logarithm of its line, whatever its length", () => {
    // Each waiting group has its own place: one phone per group, a line of n groups.
    const perSecond = (n: number) => Array.from({ length: n }, (_, a) => 1 / turnPollS('waiting', a)).reduce((x, y) => x + y, 0);
    expect(perSecond(1)).toBeCloseTo(0.2);
    expect(perSecond(20)).toBeLessThan(1.3);
    // Past 20 groups, each further group adds a question a minute.
    expect(perSecond(100) - perSecond(20)).toBeCloseTo(80 / POLL_MAX_S);
    // Under the old rule (every 5 s up to 3 ahead, then 15 s) a line of 100 cost 7.2 answers a second.
    expect(perSecond(100)).toBeLessThan(2.6);
  });
});
