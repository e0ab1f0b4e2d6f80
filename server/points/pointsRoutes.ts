// HTTP route of the points overview: staff set the crowding thresholds. Reading needs no route:
// the thresholds travel in the snapshot every page already gets.
import { CROWDING_PATH, CrowdingRequest } from '../../shared/crowdingApi';
import type { buildHttp } from '../http/httpServer';
import { routeActor } from '../http/routeGuard';
import type { AccessTokens } from '../security/accessTokens';
import type { WritePipeline } from '../write/writePipeline';
import { setCrowding } from './crowding';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export function registerPointsRoutes(app: HttpApp, deps: { pipeline: WritePipeline; tokens: AccessTokens }): void {
  app.post(CROWDING_PATH, async (req) =>
    setCrowding(deps.pipeline, routeActor(req, deps.tokens), CrowdingRequest.parse(req.body)));
}
