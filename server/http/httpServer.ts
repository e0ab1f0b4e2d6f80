import fs from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { API, LoginRequest, MAX_ROSTER_BYTES, type ErrorBody, type HouseholdCodes, type SiteInfo } from '../../shared/api';
import type { ErrorCode } from '../../shared/protocol';
import { formatResidentCode } from '../../shared/residentCode';
import { RESIDENT_SEARCH_PATH, SEARCHES_PER_MINUTE } from '../../shared/residentSearch';
import { ActionError } from '../queue/actionError';
import { listScanConflicts } from '../queue/scanConflicts';
import { CONFLICTS_PATH } from '../../shared/offlineScans';
import { labRoutes } from '../lab/labRoutes';
import { importRoster, previewRoster } from '../roster/importRoster';
import { openRosterFile } from '../roster/readRosterFile';
import { withSavedUpload, type SavedUpload } from '../roster/savedUpload';
import { searchResidents } from '../roster/searchResidents';
import { LoginThrottle } from '../security/loginThrottle';
import { zodFields } from './errorText';
import { closeAfterAnswer } from './lingeringClose';
import { SECURITY_HEADERS } from './securityHeaders';
import type { HttpDeps } from './httpDeps';
import { HTTP_TIMEOUTS } from './timeouts';
import { acceptStreamedSpreadsheets, uploadQuery, uploadRoute, uploadStream } from './uploads';
import { naturalCompare } from '../../shared/naturalOrder';
import { staticPages } from './staticPages';
import { routeActor } from './routeGuard';

/** How long a roster upload's connection may wait, once the file is in, for its check or import. */
const ROSTER_WORK_MS = 10 * 60_000;

/** JSON bodies: a login or a lab form is a few hundred bytes. Spreadsheet uploads have their own limit. */
export const JSON_BODY_LIMIT = 64 * 1024;

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  internal: 500,
};

/** Answers a refusal: its reason and params as the body, its coarse code as the status. */
export function fail(reply: FastifyReply, refusal: ActionError, status = STATUS[refusal.code]) {
  const body: ErrorBody = { error: refusal.toApiError() };
  return reply.status(status).send(body);
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`);

export async function buildHttp(deps: HttpDeps) {
  const { store, crypto, tokens, pins } = deps;
  const logins = new LoginThrottle(deps.limits);
  const searches = deps.limits.limiter('resident-search', { points: SEARCHES_PER_MINUTE, seconds: 60 });
  // No per-request logs: URLs are noise at a busy site, and only failures are worth a line.
  const timeouts = deps.timeouts ?? HTTP_TIMEOUTS;
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: JSON_BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    // Node checks the request timeout only when the headers timeout is no larger than it.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    // Malformed URLs and over-long path parameters are refused by the router itself: same error body.
    frameworkErrors: (_err, _req, reply) => fail(reply, new ActionError('request.malformed')),
  });

  app.setErrorHandler((err, req, reply) => {
    // A body still arriving is not read to its end after the answer: the connection closes instead.
    if (!req.raw.complete) reply.raw.once('finish', () => closeAfterAnswer(req.raw.socket));
    // A streamed upload that grows past its limit is refused as the buffered bodies are (below).
    if (err instanceof ActionError) return fail(reply, err, err.reason === 'request.too-large' ? 413 : undefined);
    if (err instanceof ZodError) return fail(reply, new ActionError('request.invalid', { fields: zodFields(err) }));
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) return fail(reply, new ActionError('request.too-large', { size: sizeText(req.routeOptions.bodyLimit) }), 413);
    if (status === 415) return fail(reply, new ActionError('request.not-json'), 415);
    if (status && status >= 400 && status < 500) return fail(reply, new ActionError('request.malformed'));
    deps.logger.error({ err }, 'request failed');
    return fail(reply, new ActionError('server.internal'));
  });

  await app.register(helmet, SECURITY_HEADERS);

  // Healthy only while the store answers a read: a node whose database is gone or damaged is taken out of service.
  app.get(API.health, async (_req, reply) => {
    try {
      await store.read((tx) => tx.version());
    } catch (err) {
      deps.logger.error({ err }, 'health check: the database did not answer a read');
      return fail(reply, new ActionError('server.database-unreadable'));
    }
    return { ok: true, dialect: store.dialect };
  });

  app.get(API.site, async (): Promise<SiteInfo> => ({ timeZone: deps.siteTz, demo: deps.demo }));

  app.post(API.login, async (req, reply) => {
    const { role, pin } = LoginRequest.parse(req.body);
    if (role === 'display') return tokens.login('display');
    const wait = await logins.attempt(req.ip);
    if (wait > 0) {
      void reply.header('retry-after', Math.ceil(wait / 1000));
      return fail(reply, new ActionError('auth.pin-locked', { minutes: Math.ceil(wait / 60_000) }).retryAfter(wait));
    }
    if (!(await pins.check(role, pin))) return fail(reply, new ActionError('auth.wrong-pin'));
    await logins.succeeded(req.ip);
    return tokens.login(role);
  });

  // A roster is saved as it arrives, then read from disk batch by batch: never whole in memory.
  const savedRoster = async <T>(req: FastifyRequest, use: (file: SavedUpload) => Promise<T>): Promise<T> => {
    const body = uploadStream(req);
    return withSavedUpload(body, deps.uploadsDir, async (file) => {
      if (file.bytes === 0) throw new ActionError('request.no-body');
      // The upload is in; a district's file may take longer to check and write than an idle
      // connection is kept (a busy machine): the page waits for its report.
      req.raw.socket.setTimeout(ROSTER_WORK_MS);
      return use(file);
    });
  };
  await app.register(async (uploads) => {
    acceptStreamedSpreadsheets(uploads);
    uploads.post(API.rosterImport, uploadRoute(tokens, MAX_ROSTER_BYTES), async (req) => {
      const actor = routeActor(req, tokens);
      const { filename, key } = uploadQuery(req);
      return savedRoster(req, async (file) =>
        importRoster(deps.pipeline, crypto, actor, {
          source: await openRosterFile(file, filename),
          scratchDir: deps.uploadsDir,
          digest: file.digest,
          filename,
          key,
        }),
      );
    });
    uploads.post(API.rosterPreview, uploadRoute(tokens, MAX_ROSTER_BYTES), async (req) => {
      routeActor(req, tokens);
      const { filename } = uploadQuery(req);
      return savedRoster(req, async (file) => previewRoster(await openRosterFile(file, filename)));
    });
  });

  app.get(API.buildings, async (req) => {
    routeActor(req, tokens);
    return store.read((tx) => tx.residents().buildings());
  });

  app.get(API.householdCodes, async (req) => {
    routeActor(req, tokens);
    const building = (req.query as { building?: unknown }).building;
    if (typeof building !== 'string' || !building) throw new ActionError('building.required');
    const residents = await store.read((tx) => tx.residents().ofBuilding(building));
    const households = new Map<string, HouseholdCodes>();
    for (const r of residents) {
      const h = households.get(r.household) ?? { household: r.household, unit: r.unit, members: [] };
      h.members.push({ name: r.name, idType: r.id_type, maskedIdNumber: r.id_masked, code: formatResidentCode(crypto.codeFor(r.uid)) });
      households.set(r.household, h);
    }
    return [...households.values()].sort((a, b) => naturalCompare(a.unit, b.unit) || naturalCompare(a.household, b.household));
  });

  app.get(RESIDENT_SEARCH_PATH, async (req) => {
    const actor = routeActor(req, tokens);
    return searchResidents(store, crypto, searches, actor, (req.query as { q?: unknown }).q);
  });

  await app.register(labRoutes(deps));

  // ---- kiosk offline outbox ----
  app.get(CONFLICTS_PATH, async (req) => {
    routeActor(req, tokens);
    return listScanConflicts(store);
  });

  if (fs.existsSync(path.join(deps.staticDir, 'index.html'))) {
    await app.register(fastifyStatic, staticPages(deps.staticDir));
  }
  // Page routes (/kiosk, /display ...) are the single-page app; unknown API paths are 404s.
  app.setNotFoundHandler((req, reply) => {
    if (req.method !== 'GET' || req.url.startsWith('/api/') || !fs.existsSync(path.join(deps.staticDir, 'index.html'))) {
      return fail(reply, new ActionError('request.no-such-path'));
    }
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
