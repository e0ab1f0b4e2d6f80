// The role a page is signed in as, handed to every component below it (provide/inject), so components
// ask what the role may do (useCan, useCanCall) and send requests as it (useApi) without naming a role.
import { inject, provide, type InjectionKey } from 'vue';
import type { RouteAccess } from '../../shared/routePermissions';

const ROLE: InjectionKey<RouteAccess> = Symbol('signed-in role');

/** The role this page is signed in as, for every component below it. */
export function provideRole(role: RouteAccess): void {
  provide(ROLE, role);
}

/** The role the page provided; null outside a page that named one. */
export function useRole(): RouteAccess | null {
  return inject(ROLE, null);
}
