// HTTP route of the points overview: staff set the crowding thresholds. Reading needs no route:
// the thresholds travel in the snapshot every page already gets.
import { CROWDING_PATH, CrowdingRequest } from '../../shared/crowding';
import { requireRole, type buildHttp } from '../http/httpServer';
import type { QueueService } from '../queue/queueService';
import type { AccessTokens } from '../security/accessTokens';
import type { Store } from '../store/store';
import { setCrowding } from './crowding';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export function registerPointsRoutes(app: HttpApp, deps: { store: Store; queue: QueueService; tokens: AccessTokens }): void {
  app.post(CROWDING_PATH, async (req) =>
    setCrowding(deps.store, deps.queue, requireRole(req, deps.tokens, ['staff']), CrowdingRequest.parse(req.body)));
}
