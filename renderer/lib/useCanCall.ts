// Whether the signed-in role may call an HTTP route, read from the routes' permissions table
// (shared/routePermissions.ts), by method and path as the server registers them. Apart from useCan:
// the table names every route's path, and with them their request schemas (zod), which the queue
// pages and the phones do not otherwise download.
import { routeAccess, type RouteAccess, type RouteMethod } from '../../shared/routePermissions';
import { useRole } from './role';

/** A route that needs no login is open to anyone; any other only to the roles its entry lists. */
export function canCall(role: RouteAccess | null, method: RouteMethod, path: string): boolean {
  const access = routeAccess(method, path);
  return access === undefined || (role !== null && access.includes(role));
}

/** For the role the page provided. */
export function useCanCall() {
  const role = useRole();
  return (method: RouteMethod, path: string) => canCall(role, method, path);
}
