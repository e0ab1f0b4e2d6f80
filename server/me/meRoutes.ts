// HTTP routes of /me. Finding a code and pre-registering need no login and share one limit per
// address, counted on all nodes together; staff list and confirm pre-registrations.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ConfirmPreregistrationsRequest,
  FindCodeRequest,
  ME_API,
  PreregisterRequest,
  StatusRequest,
  type PersonStatus,
} from '../../shared/meApi';
import type { buildHttp } from '../http/httpServer';
import { routeActor } from '../http/routeGuard';
import type { LabService } from '../lab/labService';
import type { Limiter, Limits } from '../limits/limits';
import { ActionError } from '../queue/actionError';
import type { AccessTokens } from '../security/accessTokens';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { Store } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';
import { MeService } from './meService';

/** Tries per address in 10 minutes: a household of ten with a few typos, far too few to guess anyone's details. */
export const ME_TRIES = { points: 30, seconds: 600 };
/** Status checks per address a minute: a phone refreshing its people, not a scan of codes. */
export const ME_STATUS_PER_MINUTE = 30;

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export function registerMeRoutes(
  app: HttpApp,
  deps: { store: Store; pipeline: WritePipeline; crypto: ResidentCrypto; lab: LabService; tokens: AccessTokens; limits: Limits },
): void {
  const me = new MeService(deps.store, deps.crypto, deps.pipeline);
  const tries = deps.limits.limiter('me', ME_TRIES);
  const { lab } = deps;
  const statusChecks = deps.limits.limiter('me-status', { points: ME_STATUS_PER_MINUTE, seconds: 60 });

  async function limited(limiter: Limiter, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const wait = await limiter.take(req.ip);
    if (wait > 0) {
      void reply.header('retry-after', Math.ceil(wait / 1000));
      throw new ActionError('me.too-many', { minutes: Math.ceil(wait / 60_000) }).retryAfter(wait);
    }
  }

  app.post(ME_API.find, async (req, reply) => {
    await limited(tries, req, reply);
    return me.find(FindCodeRequest.parse(req.body));
  });
  app.post(ME_API.preregister, async (req, reply) => {
    await limited(tries, req, reply);
    return me.preregister(PreregisterRequest.parse(req.body));
  });

  // Proof of sampling for everyone on the phone, by their codes: the lab's own-result rule, one code at a time.
  app.post(ME_API.status, async (req, reply): Promise<PersonStatus[]> => {
    await limited(statusChecks, req, reply);
    const { codes } = StatusRequest.parse(req.body);
    return Promise.all(
      codes.map(async (code) => ({
        code,
        result: await lab.ownResult(code).catch((err: unknown) => {
          if (err instanceof ActionError && err.code === 'not-found') return null;
          throw err;
        }),
      })),
    );
  });

  app.get(ME_API.preregistrations, async (req) => {
    routeActor(req, deps.tokens);
    return me.preregistrations();
  });
  app.post(ME_API.confirm, async (req) => {
    const actor = routeActor(req, deps.tokens);
    const body = ConfirmPreregistrationsRequest.parse(req.body);
    return me.confirm(actor, body.key, body.uids);
  });
}
