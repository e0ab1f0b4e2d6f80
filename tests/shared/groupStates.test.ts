import { describe, expect, it } from 'vitest';
import { GROUP_ACTIONS, GROUP_STATES, GROUP_TRANSITIONS, transitionFor, type GroupAction, type GroupState } from '../../shared/groupStates';
import { ROLES, type Role } from '../../shared/roles';

// The whole rule table, written out by hand: action → [allowed from-states, to-state, allowed roles].
const EXPECTED: Record<GroupAction, { from: GroupState[]; to: GroupState; roles: Role[] }> = {
  close: { from: ['forming'], to: 'waiting', roles: ['kiosk', 'volunteer', 'staff'] },
  call: { from: ['waiting'], to: 'called', roles: ['volunteer', 'staff'] },
  recall: { from: ['called'], to: 'waiting', roles: ['volunteer', 'staff'] },
  start: { from: ['waiting', 'called'], to: 'sampling', roles: ['kiosk', 'staff'] },
  'start-now': { from: ['waiting'], to: 'sampling', roles: ['volunteer', 'kiosk', 'staff'] },
  seal: { from: ['sampling'], to: 'sampled', roles: ['kiosk', 'staff'] },
  cancel: { from: ['forming', 'waiting'], to: 'cancelled', roles: ['kiosk', 'staff'] },
};

describe('a group through the queue', () => {
  it('has six states and seven actions', () => {
    expect(GROUP_STATES).toEqual(['forming', 'waiting', 'called', 'sampling', 'sampled', 'cancelled']);
    expect(GROUP_ACTIONS).toEqual(['close', 'call', 'recall', 'start', 'start-now', 'seal', 'cancel']);
    expect(Object.keys(GROUP_TRANSITIONS).sort()).toEqual([...GROUP_ACTIONS].sort());
  });

  it('the usual day: forming → closed → called → sampling → sampled', () => {
    let state: GroupState = 'forming';
    const steps: [GroupAction, Role][] = [
      ['close', 'kiosk'],
      ['call', 'volunteer'],
      ['start', 'kiosk'],
      ['seal', 'kiosk'],
    ];
    const seen: GroupState[] = [state];
    for (const [action, role] of steps) {
      const r = transitionFor(action, state, role);
      expect(r.ok).toBe(true);
      if (r.ok) state = r.to;
      seen.push(state);
    }
    expect(seen).toEqual(['forming', 'waiting', 'called', 'sampling', 'sampled']);
  });

  it('a called group that did not come is put back, called again, then sampled', () => {
    expect(transitionFor('call', 'waiting', 'volunteer')).toEqual({ ok: true, to: 'called' });
    expect(transitionFor('recall', 'called', 'volunteer')).toEqual({ ok: true, to: 'waiting' });
    expect(transitionFor('call', 'waiting', 'volunteer')).toEqual({ ok: true, to: 'called' });
    expect(transitionFor('start', 'called', 'kiosk')).toEqual({ ok: true, to: 'sampling' });
  });

  it('the sampler may start a waiting group straight away when nobody is calling', () => {
    expect(transitionFor('start', 'waiting', 'kiosk')).toEqual({ ok: true, to: 'sampling' });
  });

  it('a sampled group is final: no action moves it', () => {
    for (const action of GROUP_ACTIONS) {
      expect(transitionFor(action, 'sampled', 'staff')).toEqual({ ok: false, reason: 'state' });
    }
  });

  it('a group still forming cannot be called, started or sealed — only closed', () => {
    expect(transitionFor('call', 'forming', 'staff')).toEqual({ ok: false, reason: 'state' });
    expect(transitionFor('start', 'forming', 'staff')).toEqual({ ok: false, reason: 'state' });
    expect(transitionFor('seal', 'forming', 'staff')).toEqual({ ok: false, reason: 'state' });
    expect(transitionFor('recall', 'forming', 'staff')).toEqual({ ok: false, reason: 'state' });
  });

  it('a tube cannot be sealed before it is opened, nor a sampling group called back', () => {
    expect(transitionFor('seal', 'waiting', 'kiosk')).toEqual({ ok: false, reason: 'state' });
    expect(transitionFor('seal', 'called', 'kiosk')).toEqual({ ok: false, reason: 'state' });
    expect(transitionFor('recall', 'sampling', 'volunteer')).toEqual({ ok: false, reason: 'state' });
    expect(transitionFor('start', 'sampling', 'kiosk')).toEqual({ ok: false, reason: 'state' });
  });
});

describe('who may do what', () => {
  it('the public display can never change a group', () => {
    for (const action of GROUP_ACTIONS) {
      for (const state of GROUP_STATES) {
        expect(transitionFor(action, state, 'display')).toEqual({ ok: false, reason: 'role' });
      }
    }
  });

  it('staff can do every action', () => {
    for (const action of GROUP_ACTIONS) {
      expect(transitionFor(action, EXPECTED[action].from[0], 'staff')).toEqual({ ok: true, to: EXPECTED[action].to });
    }
  });

  it('a volunteer calls and recalls but cannot open or seal a tube', () => {
    expect(transitionFor('start', 'called', 'volunteer')).toEqual({ ok: false, reason: 'role' });
    expect(transitionFor('seal', 'sampling', 'volunteer')).toEqual({ ok: false, reason: 'role' });
  });

  it('the kiosk (sampler) opens and seals tubes and closes groups but does not call', () => {
    expect(transitionFor('close', 'forming', 'kiosk')).toEqual({ ok: true, to: 'waiting' });
    expect(transitionFor('call', 'waiting', 'kiosk')).toEqual({ ok: false, reason: 'role' });
    expect(transitionFor('recall', 'called', 'kiosk')).toEqual({ ok: false, reason: 'role' });
  });

  it('the role is checked before the state, so a display never learns the group state', () => {
    expect(transitionFor('seal', 'forming', 'display')).toEqual({ ok: false, reason: 'role' });
    expect(transitionFor('call', 'sampled', 'kiosk')).toEqual({ ok: false, reason: 'role' });
  });
});

describe('every action × state × role', () => {
  const cases = GROUP_ACTIONS.flatMap((action) => GROUP_STATES.flatMap((state) => ROLES.map((role) => [action, state, role] as const)));

  it('covers all 168 combinations (7 actions × 6 states × 4 roles)', () => {
    expect(cases).toHaveLength(GROUP_ACTIONS.length * GROUP_STATES.length * ROLES.length);
    expect(cases).toHaveLength(168);
  });

  it.each(cases)('%s from %s by %s follows the rule table', (action, state, role) => {
    const rule = EXPECTED[action];
    const result = transitionFor(action, state, role);
    if (!rule.roles.includes(role)) expect(result).toEqual({ ok: false, reason: 'role' });
    else if (!rule.from.includes(state)) expect(result).toEqual({ ok: false, reason: 'state' });
    else expect(result).toEqual({ ok: true, to: rule.to });
  });

  it('the exported table matches the rules written above', () => {
    for (const action of GROUP_ACTIONS) {
      expect([...GROUP_TRANSITIONS[action].from]).toEqual(EXPECTED[action].from);
      expect(GROUP_TRANSITIONS[action].to).toBe(EXPECTED[action].to);
      expect([...GROUP_TRANSITIONS[action].roles]).toEqual(EXPECTED[action].roles);
    }
  });

  it('only sampled and cancelled are final, and every state except forming can be reached', () => {
    const leavable = new Set(GROUP_ACTIONS.flatMap((a) => GROUP_TRANSITIONS[a].from));
    const reachable = new Set(GROUP_ACTIONS.map((a) => GROUP_TRANSITIONS[a].to));
    expect(GROUP_STATES.filter((s) => !leavable.has(s))).toEqual(['sampled', 'cancelled']);
    expect(GROUP_STATES.filter((s) => !reachable.has(s))).toEqual(['forming']);
  });
});
