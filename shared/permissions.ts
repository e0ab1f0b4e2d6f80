// Who may make each socket request, written once. The socket edge refuses any other role before the
// payload is read; the services check the same entry (they are reached from more than one place); the
// pages offer only what their role may do. Which group action a role may take within `group:action`
// is the group's state machine's (GROUP_TRANSITIONS in groupStates.ts). HTTP routes: routePermissions.ts.
import { GROUP_ACTIONS, GROUP_TRANSITIONS } from './groupStates';
import type { ClientToServerEvents } from './protocol';
import { ROLES, type Role } from './roles';

export type SocketRequest = keyof ClientToServerEvents;

/** Roles that may take at least one of the group actions. */
const ANY_GROUP_ACTION = ROLES.filter((role) => GROUP_ACTIONS.some((a) => GROUP_TRANSITIONS[a].roles.includes(role)));

export const SOCKET_PERMISSIONS: Readonly<Record<SocketRequest, readonly Role[]>> = {
  scan: ['kiosk', 'staff'],
  'walk-in': ['kiosk', 'staff'],
  'group:action': ANY_GROUP_ACTION,
  // Calling the next group is the call action on whichever group is next.
  'group:call-next': GROUP_TRANSITIONS.call.roles,
  'member:absent': ['kiosk', 'volunteer', 'staff'],
  // Every page draws from a snapshot; the display's is the reduced view.
  sync: ROLES,
  'hall:announce': ['volunteer', 'staff'],
  'hall:settings': ['volunteer', 'staff'],
  'member:present': ['kiosk', 'volunteer', 'staff'],
  'member:move': ['kiosk', 'volunteer', 'staff'],
  'member:remove': ['kiosk', 'staff'],
  // A printed tube label is the first step of starting the group's sampling.
  'tube:label': GROUP_TRANSITIONS.start.roles,
};

export function mayRequest(role: Role, request: SocketRequest): boolean {
  return SOCKET_PERMISSIONS[request].includes(role);
}
