// Sessions over HTTP: every request's token checked against revocation, logout, renewal, PIN changes.
import type { FastifyRequest } from 'fastify';
import { API, PinChangeRequest, type PinChangeResponse } from '../../shared/api';
import { PIN_ROLES, type Role } from '../../shared/roles';
import { ActionError } from '../queue/actionError';
import type { AccessTokens } from '../security/accessTokens';
import type { Limits } from '../limits/limits';
import { LoginThrottle } from '../security/loginThrottle';
import type { Pins } from '../security/pins';
import { disconnectEpochsBefore, disconnectSession, type RoomCloser } from '../socket/tokenSockets';
import type { buildHttp } from './httpServer';
import { routeActor } from './routeGuard';

export interface SessionDeps {
  tokens: AccessTokens;
  pins: Pins;
  io: RoomCloser;
  limits: Limits;
  /** Roles whose PIN this start changed (from the environment): their sockets on other nodes are closed. */
  changedAtStart: Role[];
}

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

export async function registerSessionRoutes(app: Awaited<ReturnType<typeof buildHttp>>, deps: SessionDeps): Promise<void> {
  const { tokens, pins, io } = deps;
  // Guessing the current staff PIN here counts like guessing it at the login.
  const wrongCurrentPins = new LoginThrottle(deps.limits);
  for (const role of deps.changedAtStart) disconnectEpochsBefore(io, role, await tokens.epochOf(role));

  // Routes check the signature and role themselves (routeActor, no database); a genuine token
  // that was revoked is refused here first, for every route, on every node.
  app.addHook('onRequest', async (req) => {
    const token = bearer(req);
    if (!token || !req.url.startsWith('/api/') || !tokens.parse(token)) return;
    if (!(await tokens.check(token))) throw new ActionError('auth.session-ended');
  });

  app.post(API.logout, async (req) => {
    // The display is public: its token is no session to end.
    routeActor(req, tokens);
    const access = tokens.parse(bearer(req));
    if (access) {
      await tokens.logout(access);
      disconnectSession(io, access.id);
    }
    return { ok: true };
  });

  app.post(API.renew, async (req) => {
    const renewed = await tokens.renew(bearer(req) ?? '');
    if (!renewed) throw new ActionError('auth.session-ended');
    return renewed;
  });

  app.post(API.pinChange, async (req, reply) => {
    const actor = routeActor(req, tokens);
    const { role, pin, currentPin } = PinChangeRequest.parse(req.body);
    if (role === 'staff') {
      if ((await wrongCurrentPins.attempt(req.ip)) > 0) throw new ActionError('pins.current-locked');
      if (!(await pins.check('staff', currentPin ?? ''))) throw new ActionError('pins.current-wrong');
      await wrongCurrentPins.succeeded(req.ip);
    }
    // Each page asks for its own role's PIN only, but one PIN for two roles would let a kiosk's PIN open the staff pages.
    for (const other of PIN_ROLES) {
      if (other !== role && (await pins.check(other, pin))) throw new ActionError('pins.same-as-other', { role: other });
    }
    const epoch = await pins.change(role, pin, actor);
    // The staff page that changed the staff PIN stays logged in; the role's other devices do not.
    const answer: PinChangeResponse = role === 'staff' ? { role, login: await tokens.login('staff') } : { role };
    await reply.send(answer);
    // After the answer, so the page that asked has its new login before its socket is closed.
    disconnectEpochsBefore(io, role, epoch);
    return reply;
  });
}
