// Who may call an HTTP route: the bearer token's role, checked before the handler runs.
import type { FastifyRequest } from 'fastify';
import type { Actor, Role } from '../../shared/roles';
import { ActionError } from '../queue/actionError';
import type { AccessTokens } from '../security/accessTokens';

/** The role a request's bearer token grants; throws when it is not one of the allowed roles. */
export function requireRole(req: FastifyRequest, tokens: AccessTokens, allowed: readonly Role[]): Actor {
  const header = req.headers.authorization ?? '';
  const role = tokens.verify(header.startsWith('Bearer ') ? header.slice(7) : undefined);
  if (!role) throw new ActionError('unauthorized', 'log in first (missing or expired access token)');
  if (!allowed.includes(role)) throw new ActionError('forbidden', `the ${role} role may not do this`);
  return { role, device: req.ip };
}
