// HTTP routes of rounds, coverage, the staggered schedule, home visits and exports.
import type { FastifyReply } from 'fastify';
import {
  AddVisitsRequest, AssignVisitsRequest, HomeSampleRequest, LookupRequest, NotHomeRequest, OpenRoundRequest, RetestVisitsRequest, ROUNDS_API,
  ScheduleRequest, VisitIdsRequest,
} from '../../shared/roundsApi';
import { buildingCoverage, coverageReport } from '../coverage/coverage';
import { notSampledSheet, recordsSheet, toCsv, toXlsx, type Sheet } from '../exports/exports';
import { HomeVisits } from '../homeVisits/homeVisits';
import { ActionError } from '../queue/actionError';
import { listRounds, openRound, schedule, setSchedule } from '../rounds/rounds';
import type { AccessTokens } from '../security/accessTokens';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { Store } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';
import { requireRole, type buildHttp } from './httpServer';

export interface RoundsDeps {
  store: Store;
  pipeline: WritePipeline;
  crypto: ResidentCrypto;
  tokens: AccessTokens;
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
    .header('content-disposition', `attachment; filename="${filename}.${format}"; filename*=UTF-8''${encodeURIComponent(`${sheet.name}.${format}`)}`)
    .header('cache-control', 'no-store')
    .send(body);
}

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export function registerRoundsRoutes(app: HttpApp, deps: RoundsDeps): void {
  const { store, pipeline, crypto, tokens } = deps;
  const homeVisits = new HomeVisits(store, pipeline, crypto);
  const staff = ['staff'] as const;
  const teams = ['volunteer', 'staff'] as const;

  app.get(ROUNDS_API.rounds, async (req) => {
    requireRole(req, tokens, staff);
    return listRounds(store);
  });
  app.post(ROUNDS_API.rounds, async (req) => openRound(pipeline, requireRole(req, tokens, staff), OpenRoundRequest.parse(req.body)));

  app.get(ROUNDS_API.coverage, async (req) => {
    requireRole(req, tokens, staff);
    return coverageReport(store);
  });
  app.get(ROUNDS_API.coverageBuilding, async (req) => {
    requireRole(req, tokens, staff);
    const building = query(req, 'building');
    if (!building) throw new ActionError('invalid', 'name a building: ?building=3');
    return buildingCoverage(store, building);
  });

  app.get(ROUNDS_API.schedule, async (req) => {
    requireRole(req, tokens, staff);
    return schedule(store);
  });
  app.post(ROUNDS_API.schedule, async (req) => setSchedule(pipeline, requireRole(req, tokens, staff), ScheduleRequest.parse(req.body)));

  app.get(ROUNDS_API.homeVisits, async (req) => {
    const actor = requireRole(req, tokens, teams);
    const team = query(req, 'team');
    // A team tablet sees its own list; the whole list is for staff.
    if (actor.role !== 'staff' && !team) throw new ActionError('invalid', 'name your team: ?team=…');
    return homeVisits.list(team);
  });
  app.post(ROUNDS_API.homeVisitsAdd, async (req) => homeVisits.add(requireRole(req, tokens, staff), AddVisitsRequest.parse(req.body)));
  app.post(ROUNDS_API.homeVisitsAssign, async (req) => ({ assigned: await homeVisits.assign(requireRole(req, tokens, staff), AssignVisitsRequest.parse(req.body)) }));
  app.post(ROUNDS_API.homeVisitsLookup, async (req) => {
    requireRole(req, tokens, teams);
    return homeVisits.lookup(LookupRequest.parse(req.body));
  });
  app.post(ROUNDS_API.homeVisitsSample, async (req) => homeVisits.sample(requireRole(req, tokens, teams), HomeSampleRequest.parse(req.body)));
  app.post(ROUNDS_API.homeVisitsNotHome, async (req) => ({ marked: await homeVisits.notHome(requireRole(req, tokens, teams), NotHomeRequest.parse(req.body)) }));
  app.post(ROUNDS_API.homeVisitsRemove, async (req) => ({ removed: await homeVisits.remove(requireRole(req, tokens, staff), VisitIdsRequest.parse(req.body)) }));
  app.post(ROUNDS_API.homeVisitsRequeue, async (req) => ({ requeued: await homeVisits.requeue(requireRole(req, tokens, staff), VisitIdsRequest.parse(req.body)) }));
  app.post(ROUNDS_API.homeVisitsRetest, async (req) => homeVisits.retest(requireRole(req, tokens, staff), RetestVisitsRequest.parse(req.body)));

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(format === 'xlsx' ? ROUNDS_API.exportRecordsXlsx : ROUNDS_API.exportRecordsCsv, async (req, reply) => {
      requireRole(req, tokens, staff);
      return sendSheet(reply, await recordsSheet(store, crypto), format, 'sampling-records');
    });
    app.get(format === 'xlsx' ? ROUNDS_API.exportNotSampledXlsx : ROUNDS_API.exportNotSampledCsv, async (req, reply) => {
      requireRole(req, tokens, staff);
      return sendSheet(reply, await notSampledSheet(store, crypto, query(req, 'building')), format, 'not-sampled');
    });
  }
}
