// HTTP routes of the home-sampling teams: staff manage them; a team's tablet asks who it is.
import { HOME_TEAMS_API, TeamRequest, type TeamSession } from '../../shared/homeTeams';
import type { buildHttp } from '../http/httpServer';
import { routeActor } from '../http/routeGuard';
import { ActionError } from '../queue/actionError';
import type { AccessTokens } from '../security/accessTokens';
import type { HomeTeams } from './homeTeams';
import type { TeamAccess } from './teamAccess';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export function registerTeamRoutes(app: HttpApp, deps: { tokens: AccessTokens; access: TeamAccess; teams: HomeTeams }): void {
  const { tokens, access, teams } = deps;
  app.get(HOME_TEAMS_API.teams, async (req) => {
    routeActor(req, tokens);
    return teams.list();
  });
  app.post(HOME_TEAMS_API.teams, async (req) => teams.create(routeActor(req, tokens), TeamRequest.parse(req.body).name));
  app.post(HOME_TEAMS_API.reissue, async (req) => teams.reissue(routeActor(req, tokens), TeamRequest.parse(req.body).name));
  app.get(HOME_TEAMS_API.me, async (req): Promise<TeamSession> => {
    const { team } = await access.actorOf(req, tokens);
    if (team === null) throw new ActionError('team.staff-see-all');
    return { team };
  });
}
