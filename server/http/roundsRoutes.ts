// HTTP routes of rounds, coverage, the staggered schedule, home visits and exports.
import type { FastifyReply } from 'fastify';
import {
  AddVisitsRequest,
  AssignVisitsRequest,
  HomeSampleRequest,
  LookupRequest,
  NotHomeRequest,
  OpenRoundRequest,
  RetestVisitsRequest,
  ROUNDS_API,
  ScheduleRequest,
  VisitIdsRequest,
} from '../../shared/roundsApi';
import { buildingCoverage, coverageReport } from '../coverage/coverage';
import { API } from '../../shared/apiPaths';
import { notSampledSheet, recordsSheet, rosterTemplateSheet, toCsv, toXlsx, type Sheet } from '../exports/exports';
import { HomeVisits } from '../homeVisits/homeVisits';
import { HomeTeams } from '../homeVisits/homeTeams';
import type { TeamAccess } from '../homeVisits/teamAccess';
import { registerTeamRoutes } from '../homeVisits/teamRoutes';
import { ActionError } from '../queue/actionError';
import { listRounds, openRound, schedule, setSchedule } from '../rounds/rounds';
import type { AccessTokens } from '../security/accessTokens';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { Store } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';
import type { buildHttp } from './httpServer';
import { routeActor } from './routeGuard';

export interface RoundsDeps {
  store: Store;
  pipeline: WritePipeline;
  crypto: ResidentCrypto;
  tokens: AccessTokens;
  teamAccess: TeamAccess;
  /** The site's time zone: sampling times on the records are its wall clock. */
  siteTz: string;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function query(req: { query: unknown }, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

async function sendSheet(reply: FastifyReply, sheet: Sheet, format: 'xlsx' | 'csv', filename: string) {
  const body = format === 'xlsx' ? await toXlsx(sheet) : toCsv(sheet);
  return reply
    .header('content-type', format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
    .header(
      'content-disposition',
      `attachment; filename="${filename}.${format}"; filename*=UTF-8''${encodeURIComponent(`${sheet.name}.${format}`)}`,
    )
    .header('cache-control', 'no-store')
    .send(body);
}

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export function registerRoundsRoutes(app: HttpApp, deps: RoundsDeps): void {
  const { store, pipeline, crypto, tokens, teamAccess } = deps;
  const homeVisits = new HomeVisits(store, pipeline, crypto);
  const homeTeams = new HomeTeams(store, pipeline, teamAccess);
  /** A team's tablet (its link: its own list only) or staff (every list). */
  const team = (req: Parameters<typeof routeActor>[0]) => teamAccess.actorOf(req, tokens);
  registerTeamRoutes(app, { tokens, access: teamAccess, teams: homeTeams });

  app.get(ROUNDS_API.rounds, async (req) => {
    routeActor(req, tokens);
    return listRounds(store);
  });
  app.post(ROUNDS_API.rounds, async (req) => openRound(pipeline, routeActor(req, tokens), OpenRoundRequest.parse(req.body)));

  app.get(ROUNDS_API.coverage, async (req) => {
    routeActor(req, tokens);
    return coverageReport(store);
  });
  app.get(ROUNDS_API.coverageBuilding, async (req) => {
    routeActor(req, tokens);
    const building = query(req, 'building');
    if (!building) throw new ActionError('building.required');
    return buildingCoverage(store, building);
  });

  app.get(ROUNDS_API.schedule, async (req) => {
    routeActor(req, tokens);
    return schedule(store);
  });
  app.post(ROUNDS_API.schedule, async (req) => setSchedule(pipeline, routeActor(req, tokens), ScheduleRequest.parse(req.body)));

  app.get(ROUNDS_API.homeVisits, async (req) => {
    const actor = await team(req);
    // A team's tablet sees its own list, whatever it asks for; staff see all, or one team's.
    return homeVisits.list(actor.team ?? query(req, 'team'));
  });
  app.post(ROUNDS_API.homeVisitsAdd, async (req) => homeVisits.add(routeActor(req, tokens), AddVisitsRequest.parse(req.body)));
  app.post(ROUNDS_API.homeVisitsAssign, async (req) => {
    const actor = routeActor(req, tokens);
    const body = AssignVisitsRequest.parse(req.body);
    await homeTeams.requireTeam(body.team);
    return { assigned: await homeVisits.assign(actor, body) };
  });
  app.post(ROUNDS_API.homeVisitsLookup, async (req) => {
    const actor = await team(req);
    return homeVisits.lookup(LookupRequest.parse(req.body), actor.team);
  });
  app.post(ROUNDS_API.homeVisitsSample, async (req) => homeVisits.sample(await team(req), HomeSampleRequest.parse(req.body)));
  app.post(ROUNDS_API.homeVisitsNotHome, async (req) => ({
    marked: await homeVisits.notHome(await team(req), NotHomeRequest.parse(req.body)),
  }));
  app.post(ROUNDS_API.homeVisitsRemove, async (req) => ({
    removed: await homeVisits.remove(routeActor(req, tokens), VisitIdsRequest.parse(req.body)),
  }));
  app.post(ROUNDS_API.homeVisitsRequeue, async (req) => ({
    requeued: await homeVisits.requeue(routeActor(req, tokens), VisitIdsRequest.parse(req.body)),
  }));
  app.post(ROUNDS_API.homeVisitsRetest, async (req) => homeVisits.retest(routeActor(req, tokens), RetestVisitsRequest.parse(req.body)));

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(format === 'xlsx' ? API.rosterTemplateXlsx : API.rosterTemplateCsv, async (req, reply) => {
      routeActor(req, tokens);
      return sendSheet(reply, rosterTemplateSheet(), format, 'roster-template');
    });
    app.get(format === 'xlsx' ? ROUNDS_API.exportRecordsXlsx : ROUNDS_API.exportRecordsCsv, async (req, reply) => {
      routeActor(req, tokens);
      return sendSheet(reply, await recordsSheet(store, crypto, deps.siteTz), format, 'sampling-records');
    });
    app.get(format === 'xlsx' ? ROUNDS_API.exportNotSampledXlsx : ROUNDS_API.exportNotSampledCsv, async (req, reply) => {
      routeActor(req, tokens);
      return sendSheet(reply, await notSampledSheet(store, crypto, query(req, 'building')), format, 'not-sampled');
    });
  }
}
