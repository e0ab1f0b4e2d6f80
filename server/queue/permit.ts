// The services' own role check, from the same table the socket edge reads (shared/permissions): a
// service is reached from more than the edge (tests, the demo, other services), and each refuses alike.
import { mayRequest, type SocketRequest } from '../../shared/permissions';
import type { Actor } from '../../shared/roles';
import { ActionError } from './actionError';

export function permit(actor: Actor, request: SocketRequest): void {
  if (!mayRequest(actor.role, request)) throw new ActionError('auth.role-forbidden', { role: actor.role });
}
