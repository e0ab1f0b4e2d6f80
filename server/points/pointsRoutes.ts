// HTTP routes of the points overview: residents' phones poll it (GET /api/points, a polled page like
// the turn page: public, cacheable, from each node's once-a-second snapshot), staff set the crowding
// thresholds.
import { CROWDING_PATH, CrowdingRequest } from '../../shared/crowdingApi';
import { POINTS_PATH, pointsView } from '../../shared/pointsView';
import type { buildHttp } from '../http/httpServer';
import { routeActor } from '../http/routeGuard';
import { ActionError } from '../queue/actionError';
import type { AccessTokens } from '../security/accessTokens';
import { polledRoute, type PolledRoute, type RecentSnapshot } from '../turn/polledPages';
import type { WritePipeline } from '../write/writePipeline';
import { setCrowding } from './crowding';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export function registerPointsRoutes(app: HttpApp, deps: { pipeline: WritePipeline; tokens: AccessTokens }): void {
  app.post(CROWDING_PATH, async (req) => setCrowding(deps.pipeline, routeActor(req, deps.tokens), CrowdingRequest.parse(req.body)));
}

/** The round's one points overview: a single key. */
export function pointsRoute(snapshots: RecentSnapshot): PolledRoute {
  return polledRoute<'round'>(snapshots, {
    path: POINTS_PATH,
    keyOf: (path) => (path === POINTS_PATH ? 'round' : null),
    views: (snapshot, now) => {
      const view = pointsView(snapshot, now);
      return () => view;
    },
    invalid: () => new ActionError('request.no-such-path'),
    missing: () => new ActionError('request.no-such-path'),
  });
}
