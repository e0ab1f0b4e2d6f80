// What the signed-in role may do over the socket, read from the one permissions table
// (shared/permissions.ts, and the group state machine for the actions within `group:action`). A page
// asks `canFor(its role)`; its components `useCan()` (the role the page provided) and offer only what
// that role may do, naming no role themselves. HTTP routes: useCanCall.ts.
import { GROUP_TRANSITIONS, type GroupAction } from '../../shared/groupStates';
import { mayRequest, type SocketRequest } from '../../shared/permissions';
import { ROLES, type Role } from '../../shared/roles';
import type { RouteAccess } from '../../shared/routePermissions';
import { useRole } from './role';

const isRole = (access: RouteAccess | null): access is Role => ROLES.includes(access as Role);

/** Questions to the table for one role; no role (or a team link, which has no socket): every answer is no. */
export function canFor(role: RouteAccess | null) {
  return {
    /** A socket request (`member:remove`, `hall:settings` …). */
    request: (request: SocketRequest) => isRole(role) && mayRequest(role, request),
    /** A group action within `group:action` (`call`, `seal` …). */
    act: (action: GroupAction) => isRole(role) && GROUP_TRANSITIONS[action].roles.includes(role),
  };
}

/** What the role the page provided may do (a page cannot inject what it provides itself: it uses canFor). */
export function useCan() {
  return canFor(useRole());
}
