// HTTP calls of rounds, coverage, home visits and exports, as the staff page and team tablets make them.
import { HOME_TEAMS_API, type HomeTeam } from '../../shared/homeTeams';
import type { ApiError } from '../../shared/protocol';
import type { Role } from '../../shared/roles';
import type { TestSite } from '../support/testServer';

export interface HttpResult<T> {
  status: number;
  body: T;
}

/** As a role (staff unless told), or with a team link's credential (`team`). */
export interface CallOptions {
  method?: string;
  json?: unknown;
  role?: Role;
  team?: string;
}

export async function call<T = unknown>(site: TestSite, path: string, opts: CallOptions = {}): Promise<HttpResult<T>> {
  const res = await fetch(site.url + path, {
    method: opts.method ?? (opts.json !== undefined ? 'POST' : 'GET'),
    headers: {
      authorization: `Bearer ${opts.team ?? (await site.token(opts.role ?? 'staff'))}`,
      ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** A call that must succeed. */
export async function ok<T>(site: TestSite, path: string, opts: CallOptions = {}): Promise<T> {
  const r = await call<T>(site, path, opts);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A refused call: its status, code, reason and params. */
export async function refused(site: TestSite, path: string, opts: CallOptions = {}): Promise<{ status: number } & ApiError> {
  const r = await call<{ error?: ApiError }>(site, path, opts);
  if (r.status === 200 || !r.body.error) throw new Error(`${path}: expected a refusal, got ${r.status} ${JSON.stringify(r.body)}`);
  return { status: r.status, ...r.body.error };
}

/** Staff create a home-sampling team; its link's credential, as the team's tablet would hold it. */
export async function createTeam(site: TestSite, name: string): Promise<string> {
  return (await ok<HomeTeam>(site, HOME_TEAMS_API.teams, { json: { name } })).credential;
}
