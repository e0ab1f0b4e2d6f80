// Who may call each guarded HTTP route, written once, keyed by method and path as the routes are
// registered. The route guard (server/http/routeGuard.ts) reads it for every guarded route and fails
// a route that has no entry, so a new route cannot forget its roles. Routes left out need no login:
// health, the site's time zone, login, renew (the token itself is checked), a resident's own result and /me, the TLS pages.
// 'team-link': a home-sampling team's tablet, signed in with the link staff gave it (its own list only).
import { API, LAB_API } from './apiPaths';
import { CROWDING_PATH } from './crowdingApi';
import { HOME_TEAMS_API } from './homeTeams';
import { ME_API } from './meApi';
import { CONFLICTS_PATH } from './offlineScans';
import { RESIDENT_SEARCH_PATH } from './residentSearch';
import { PIN_ROLES, type Role } from './roles';
import { ROUNDS_API } from './roundsApi';

export type RouteAccess = Role | 'team-link';
export type RouteMethod = 'GET' | 'POST';

export const routeKey = (method: RouteMethod, path: string) => `${method} ${path}`;

const STAFF: readonly RouteAccess[] = ['staff'];
const KIOSK_OR_STAFF: readonly RouteAccess[] = ['kiosk', 'staff'];
const TEAM_OR_STAFF: readonly RouteAccess[] = ['team-link', 'staff'];

const entries: [RouteMethod, string, readonly RouteAccess[]][] = [
  // ---- roster and residents ----
  ['POST', API.rosterImport, STAFF],
  ['POST', API.rosterPreview, STAFF],
  ['GET', API.rosterTemplateCsv, STAFF],
  ['GET', API.rosterTemplateXlsx, STAFF],
  ['GET', API.buildings, STAFF],
  ['GET', API.householdCodes, STAFF],
  ['GET', RESIDENT_SEARCH_PATH, KIOSK_OR_STAFF],
  ['GET', CONFLICTS_PATH, STAFF],
  // ---- sessions ----
  ['POST', API.logout, PIN_ROLES],
  ['POST', API.pinChange, STAFF],
  // ---- residents' own codes ----
  ['GET', ME_API.preregistrations, STAFF],
  ['POST', ME_API.confirm, STAFF],
  // ---- lab: kiosks may box tubes; transport and results are staff's ----
  ['GET', LAB_API.boxes, STAFF],
  ['POST', LAB_API.boxes, KIOSK_OR_STAFF],
  ['POST', LAB_API.boxTubes, KIOSK_OR_STAFF],
  ['POST', LAB_API.boxClose, KIOSK_OR_STAFF],
  ['POST', LAB_API.boxHandOver, STAFF],
  ['POST', LAB_API.boxReceive, STAFF],
  ['GET', LAB_API.transitLimits, STAFF],
  ['POST', LAB_API.transitLimits, STAFF],
  ['POST', LAB_API.resultsImport, STAFF],
  ['GET', LAB_API.retests, STAFF],
  ['GET', LAB_API.auditExport, STAFF],
  // ---- points ----
  ['POST', CROWDING_PATH, STAFF],
  // ---- rounds, coverage, schedule ----
  ['GET', ROUNDS_API.rounds, STAFF],
  ['POST', ROUNDS_API.rounds, STAFF],
  ['GET', ROUNDS_API.coverage, STAFF],
  ['GET', ROUNDS_API.coverageBuilding, STAFF],
  ['GET', ROUNDS_API.schedule, STAFF],
  ['POST', ROUNDS_API.schedule, STAFF],
  // ---- home visits: staff keep the list; a team works through its own ----
  ['GET', ROUNDS_API.homeVisits, TEAM_OR_STAFF],
  ['POST', ROUNDS_API.homeVisitsAdd, STAFF],
  ['POST', ROUNDS_API.homeVisitsAssign, STAFF],
  ['POST', ROUNDS_API.homeVisitsLookup, TEAM_OR_STAFF],
  ['POST', ROUNDS_API.homeVisitsSample, TEAM_OR_STAFF],
  ['POST', ROUNDS_API.homeVisitsNotHome, TEAM_OR_STAFF],
  ['POST', ROUNDS_API.homeVisitsRemove, STAFF],
  ['POST', ROUNDS_API.homeVisitsRequeue, STAFF],
  ['POST', ROUNDS_API.homeVisitsRetest, STAFF],
  ['GET', HOME_TEAMS_API.teams, STAFF],
  ['POST', HOME_TEAMS_API.teams, STAFF],
  ['POST', HOME_TEAMS_API.reissue, STAFF],
  ['GET', HOME_TEAMS_API.me, TEAM_OR_STAFF],
  // ---- exports: the only place ID numbers and phones are decrypted ----
  ['GET', ROUNDS_API.exportRecordsXlsx, STAFF],
  ['GET', ROUNDS_API.exportRecordsCsv, STAFF],
  ['GET', ROUNDS_API.exportNotSampledXlsx, STAFF],
  ['GET', ROUNDS_API.exportNotSampledCsv, STAFF],
];

export const ROUTE_PERMISSIONS: ReadonlyMap<string, readonly RouteAccess[]> = new Map();
for (const [method, path, access] of entries) {
  const key = routeKey(method, path);
  // A second entry would silently replace the first: the table says each route once.
  if (ROUTE_PERMISSIONS.has(key)) throw new Error(`${key} is listed twice`);
  (ROUTE_PERMISSIONS as Map<string, readonly RouteAccess[]>).set(key, access);
}

/** Who may call a route; undefined for a route that needs no login (or is not guarded at all). */
export function routeAccess(method: RouteMethod, path: string): readonly RouteAccess[] | undefined {
  return ROUTE_PERMISSIONS.get(routeKey(method, path));
}
