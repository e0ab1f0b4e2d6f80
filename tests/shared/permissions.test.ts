import { describe, expect, it } from 'vitest';
import { API, LAB_API } from '../../shared/apiPaths';
import { GROUP_STATES, GROUP_TRANSITIONS, isMarkable } from '../../shared/groupStates';
import { ME_API } from '../../shared/meApi';
import { mayRequest, SOCKET_PERMISSIONS, type SocketRequest } from '../../shared/permissions';
import { callOrder } from '../../shared/queueOrder';
import { ROLES, type Role } from '../../shared/roles';
import { ROUNDS_API } from '../../shared/roundsApi';
import { ROUTE_PERMISSIONS, routeAccess } from '../../shared/routePermissions';

// Who may make each socket request, written out by hand: the table must say exactly this.
const EXPECTED: Record<SocketRequest, Role[]> = {
  scan: ['kiosk', 'staff'],
  'walk-in': ['kiosk', 'staff'],
  'group:action': ['kiosk', 'volunteer', 'staff'],
  'group:call-next': ['volunteer', 'staff'],
  'member:absent': ['kiosk', 'volunteer', 'staff'],
  sync: ['kiosk', 'volunteer', 'display', 'staff'],
  'hall:announce': ['volunteer', 'staff'],
  'hall:settings': ['volunteer', 'staff'],
  'member:present': ['kiosk', 'volunteer', 'staff'],
  'member:move': ['kiosk', 'volunteer', 'staff'],
  'member:remove': ['kiosk', 'staff'],
  'tube:label': ['kiosk', 'staff'],
};

describe('socket permissions', () => {
  it('lists every request with the roles that may make it, and no others', () => {
    expect(Object.keys(SOCKET_PERMISSIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [request, roles] of Object.entries(EXPECTED) as [SocketRequest, Role[]][]) {
      for (const role of ROLES) expect(mayRequest(role, request), `${role} ${request}`).toBe(roles.includes(role));
    }
  });

  it('the public display may only read: it asks for snapshots and writes nothing', () => {
    const allowed = (Object.keys(SOCKET_PERMISSIONS) as SocketRequest[]).filter((r) => mayRequest('display', r));
    expect(allowed).toEqual(['sync']);
  });

  it('follows the group state machine where a request is one of its actions', () => {
    expect(SOCKET_PERMISSIONS['group:call-next']).toEqual(GROUP_TRANSITIONS.call.roles);
    expect(SOCKET_PERMISSIONS['tube:label']).toEqual(GROUP_TRANSITIONS.start.roles);
    const anyAction = ROLES.filter((role) => Object.values(GROUP_TRANSITIONS).some((t) => t.roles.includes(role)));
    expect([...SOCKET_PERMISSIONS['group:action']].sort()).toEqual([...anyAction].sort());
  });
});

describe('HTTP route permissions', () => {
  it('keeps exports, lab transport and results, PIN changes and the roster to staff', () => {
    for (const [method, path] of [
      ['GET', ROUNDS_API.exportRecordsCsv],
      ['GET', ROUNDS_API.exportNotSampledXlsx],
      ['POST', LAB_API.boxHandOver],
      ['POST', LAB_API.resultsImport],
      ['GET', LAB_API.retests],
      ['POST', API.pinChange],
      ['POST', API.rosterImport],
      ['GET', API.householdCodes],
      ['POST', ME_API.confirm],
    ] as const) {
      expect(routeAccess(method, path), `${method} ${path}`).toEqual(['staff']);
    }
  });

  it('lets kiosks box tubes and search residents, and team links only reach their own visit routes', () => {
    expect(routeAccess('POST', LAB_API.boxTubes)).toContain('kiosk');
    expect(routeAccess('GET', LAB_API.boxes)).not.toContain('kiosk');
    expect(routeAccess('POST', ROUNDS_API.homeVisitsSample)).toContain('team-link');
    const teamRoutes = [...ROUTE_PERMISSIONS]
      .filter(([, access]) => access.includes('team-link'))
      .map(([key]) => key)
      .sort();
    expect(teamRoutes).toEqual([
      'GET /api/home-teams/me',
      'GET /api/home-visits',
      'POST /api/home-visits/lookup',
      'POST /api/home-visits/not-home',
      'POST /api/home-visits/sample',
    ]);
  });

  it('guards API routes only, never for the public display, and lists no public route', () => {
    for (const [key, access] of ROUTE_PERMISSIONS) {
      expect(key).toMatch(/^(GET|POST) \/api\//);
      expect(access.length, key).toBeGreaterThan(0);
      expect(access, key).not.toContain('display');
    }
    expect(routeAccess('POST', API.login)).toBeUndefined();
    expect(routeAccess('POST', LAB_API.ownResult)).toBeUndefined();
    expect(routeAccess('POST', ME_API.find)).toBeUndefined();
  });
});

describe('which member the hall may mark', () => {
  it('a queued member of a waiting, called or sampling group, and nobody else', () => {
    const markable = GROUP_STATES.filter((s) => isMarkable(s, 'queued'));
    expect(markable).toEqual(['waiting', 'called', 'sampling']);
    for (const state of GROUP_STATES) {
      expect(isMarkable(state, 'absent')).toBe(false);
      expect(isMarkable(state, 'sampled')).toBe(false);
    }
  });
});

describe('call order', () => {
  it('calls green-channel groups first, then by arrival', () => {
    const groups = [
      { id: 4, priority: false },
      { id: 7, priority: true },
      { id: 2, priority: false },
      { id: 9, priority: true },
    ];
    expect([...groups].sort(callOrder).map((g) => g.id)).toEqual([7, 9, 2, 4]);
  });

  it('reads store rows (priority 0/1) as the pages read views', () => {
    expect(
      [
        { id: 3, priority: 0 },
        { id: 5, priority: 1 },
        { id: 1, priority: 0 },
      ]
        .sort(callOrder)
        .map((g) => g.id),
    ).toEqual([5, 1, 3]);
  });

  it('is arrival alone for the display, which is not told priorities', () => {
    expect([{ id: 8 }, { id: 3 }, { id: 5 }].sort(callOrder).map((g) => g.id)).toEqual([3, 5, 8]);
  });
});
