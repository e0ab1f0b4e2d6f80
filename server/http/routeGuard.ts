// Who may call an HTTP route: the route's entry in shared/routePermissions, checked against the
// bearer token's role before the handler runs (no database: revoked sessions are refused earlier,
// by the hook in sessionRoutes.ts).
import type { FastifyRequest } from 'fastify';
import { routeAccess, type RouteAccess, type RouteMethod } from '../../shared/routePermissions';
import type { Actor } from '../../shared/roles';
import { ActionError } from '../queue/actionError';
import type { AccessTokens } from '../security/accessTokens';

/** The route's entry, by the path it was registered with (a HEAD is its GET); a guarded route without one is a bug. */
export function accessOf(req: FastifyRequest): readonly RouteAccess[] {
  const method = (req.method === 'HEAD' ? 'GET' : req.method) as RouteMethod;
  const path = req.routeOptions.url ?? req.url;
  const access = routeAccess(method, path);
  if (!access) throw new Error(`${method} ${path} has no entry in ROUTE_PERMISSIONS`);
  return access;
}

/** The caller of a guarded route: the role of its bearer token, when the route's entry allows it. */
export function routeActor(req: FastifyRequest, tokens: AccessTokens): Actor {
  const allowed = accessOf(req);
  const header = req.headers.authorization ?? '';
  const role = tokens.verify(header.startsWith('Bearer ') ? header.slice(7) : undefined);
  if (!role) throw new ActionError('auth.login-required');
  if (!allowed.includes(role)) throw new ActionError('auth.role-forbidden', { role });
  return { role, device: req.ip };
}
