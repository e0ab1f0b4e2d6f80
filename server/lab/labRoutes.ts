// HTTP routes of the lab feature. Staff run transport and results; kiosks may also box tubes;
// a resident checks their own result with their printed code, rate-limited against guessing.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { siteDate } from '../../shared/siteDate';
import {
  AddTubeRequest,
  BoxCode,
  HandOverRequest,
  LAB_API,
  OpenBoxRequest,
  OwnResultRequest,
  ReceiveRequest,
  TransitLimitsRequest,
} from '../../shared/labApi';
import type { HttpDeps } from '../http/httpDeps';
import { routeActor } from '../http/routeGuard';
import { acceptSpreadsheets, uploadedFile, uploadRoute } from '../http/uploads';
import { ActionError } from '../queue/actionError';
import type { Actor } from '../../shared/roles';
import { auditCsv, auditXlsx } from './auditExport';

/** Checks a resident may make per minute from one address: enough for a family, far too few to guess codes. */
export const OWN_RESULT_PER_MINUTE = 20;

export function labRoutes(deps: HttpDeps) {
  const { lab } = deps;
  const ownChecks = deps.limits.limiter('own-result', { points: OWN_RESULT_PER_MINUTE, seconds: 60 });

  /** The role from the token; the device a page names itself (for the audit trail), else its address. */
  const actorOf = (req: FastifyRequest): Actor => {
    const actor = routeActor(req, deps.tokens);
    const device = req.headers['x-device'];
    return typeof device === 'string' && /^[\w.-]{1,64}$/.test(device) ? { ...actor, device } : actor;
  };
  const boxOf = (req: FastifyRequest) => BoxCode.parse((req.params as { box: string }).box);

  return async function routes(app: FastifyInstance) {
    app.get(LAB_API.boxes, async (req) => {
      actorOf(req);
      return lab.overview();
    });
    app.post(LAB_API.boxes, async (req) => lab.openBox(actorOf(req), OpenBoxRequest.parse(req.body).code));
    app.post(LAB_API.boxTubes, async (req) => lab.addTube(actorOf(req), boxOf(req), AddTubeRequest.parse(req.body).tubeCode));
    app.post(LAB_API.boxClose, async (req) => lab.closeBox(actorOf(req), boxOf(req)));
    app.post(LAB_API.boxHandOver, async (req) => lab.handOver(actorOf(req), boxOf(req), HandOverRequest.parse(req.body)));
    app.post(LAB_API.boxReceive, async (req) => lab.receive(actorOf(req), boxOf(req), ReceiveRequest.parse(req.body)));

    app.get(LAB_API.transitLimits, async (req) => {
      actorOf(req);
      return lab.limits();
    });
    app.post(LAB_API.transitLimits, async (req) => lab.setLimits(actorOf(req), TransitLimitsRequest.parse(req.body)));

    await app.register(async (uploads) => {
      acceptSpreadsheets(uploads);
      uploads.post(LAB_API.resultsImport, uploadRoute(deps.tokens), async (req) => {
        const actor = actorOf(req);
        const file = await uploadedFile(req);
        const filename = (req.query as { filename?: unknown }).filename;
        return lab.importResults(actor, file, typeof filename === 'string' ? filename : undefined);
      });
    });

    app.get(LAB_API.retests, async (req) => {
      actorOf(req);
      return lab.retestList();
    });

    app.get(LAB_API.auditExport, async (req, reply) => {
      actorOf(req);
      const rows = await deps.store.read((tx) => tx.lab().auditRows());
      const stamp = siteDate(new Date(), deps.siteTz);
      if ((req.query as { format?: unknown }).format === 'xlsx') {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="audit-${stamp}.xlsx"`)
          .send(await auditXlsx(rows));
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${stamp}.csv"`)
        .send(auditCsv(rows));
    });

    // No login: the printed code is the resident's key. Guessing one is slowed to a crawl, on all nodes together.
    app.post(LAB_API.ownResult, async (req, reply) => {
      const wait = await ownChecks.take(req.ip);
      if (wait > 0) {
        void reply.header('retry-after', Math.ceil(wait / 1000));
        throw new ActionError('code.too-many-checks').retryAfter(wait);
      }
      return lab.ownResult(OwnResultRequest.parse(req.body).code);
    });
  };
}
