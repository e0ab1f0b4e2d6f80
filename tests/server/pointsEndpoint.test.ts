// A resident's /points page polls GET /api/points instead of holding a socket: every point's line,
// wait and crowding word and the buildings invited now, cacheable for a few seconds, a 304 for a
// phone that already has the answer, and every node answers (each from its own store). The answer
// written before Fastify and Fastify's own are the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CROWDING } from '../../shared/crowding';
import { CROWDING_PATH } from '../../shared/crowdingApi';
import { POLL_MAX_AGE_S } from '../../shared/poll';
import { POINTS_PATH, POINTS_POLL_S, type PointsView } from '../../shared/pointsView';
import { ROUNDS_API } from '../../shared/roundsApi';
import { BACKENDS } from '../support/backends';
import { newKey } from '../support/testServer';
import { added, residents, scan, startSiteWithRoster, type RosterSite } from './helpers';
import { ok } from './roundsHttp';

const PEOPLE = residents(0, 12);

async function poll(url: string, etag?: string) {
  const res = await fetch(url + POINTS_PATH, { headers: etag ? { 'if-none-match': etag } : {} });
  const body = await res.text();
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    headers: res.headers,
    body,
    view: res.status === 200 ? (JSON.parse(body) as PointsView) : null,
  };
}

/** Headers of an answer that say something about it (not the connection's). */
function answerHeaders(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  for (const name of ['date', 'connection', 'keep-alive']) delete out[name];
  return out;
}

describe.each(BACKENDS)('the points overview endpoint (%s)', (backend) => {
  let rs: RosterSite;
  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
    await ok(rs.site, ROUNDS_API.rounds, {
      json: {
        key: newKey(),
        name: '12月1日',
        date: '2026-12-01',
        points: [
          { code: 'A', name: '东门广场', poolSize: 5 },
          { code: 'B', name: '西门篮球场', poolSize: 10 },
        ],
      },
    });
    const now = Date.now();
    await ok(rs.site, ROUNDS_API.schedule, {
      json: {
        slots: [{ building: '1', point: 'A', start: new Date(now - 600_000).toISOString(), end: new Date(now + 3_600_000).toISOString() }],
      },
    });
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  it("answers every point's line and crowding with a tag, 304 for the same tag, and follows scans and staff's thresholds on every node", async () => {
    const tags: string[] = [];
    for (const server of rs.site.servers) {
      // A new round may be newer than the snapshot a node holds, for up to a second.
      await expect.poll(async () => (await poll(server.url)).view?.points.map((p) => p.code), { timeout: 5_000 }).toEqual(['A', 'B']);
      const answer = await poll(server.url);
      expect(answer.headers.get('cache-control')).toBe(`public, max-age=${POLL_MAX_AGE_S}`);
      expect(answer.view).toEqual({
        points: [
          { code: 'A', name: '东门广场', inLine: 0, minutes: null, level: null },
          { code: 'B', name: '西门篮球场', inLine: 0, minutes: null, level: null },
        ],
        invited: ['1'],
        crowding: DEFAULT_CROWDING,
        pollS: POINTS_POLL_S,
      });
      const again = await poll(server.url, answer.etag!);
      expect([again.status, again.body, again.etag]).toEqual([304, '', answer.etag]);
      tags.push(answer.etag!);
    }

    const kiosk = await rs.site.connect('kiosk', 'points-kiosk', 0);
    for (const p of PEOPLE.slice(0, 7)) added(await scan(kiosk, rs.code(p), { point: 'A' }));
    kiosk.socket.close();
    await ok(rs.site, CROWDING_PATH, { json: { key: newKey(), busyMinutes: 5, jammedMinutes: 9 } });
    for (const [n, server] of rs.site.servers.entries()) {
      await expect
        .poll(async () => (await poll(server.url, tags[n])).view, { timeout: 5_000 })
        .toMatchObject({
          points: [
            { code: 'A', inLine: 7 },
            { code: 'B', inLine: 0 },
          ],
          crowding: { busyMinutes: 5, jammedMinutes: 9 },
        });
      // Masked figures only: no name reaches the answer.
      const { body } = await poll(server.url);
      for (const p of PEOPLE) expect(body).not.toContain(p.name.slice(1));
    }
  });

  it("gives the same answer and headers before Fastify as through Fastify's route, 200 and 304 alike", async () => {
    const { server } = rs.site;
    // Fastify's route reads the snapshot when it is due; the front door answers from it for the next second.
    const routed = await server.http.inject({ method: 'GET', url: POINTS_PATH });
    const front = await fetch(server.url + POINTS_PATH);
    expect(front.status).toBe(200);
    expect(await front.text()).toBe(routed.body);
    expect(answerHeaders(Object.fromEntries(front.headers))).toEqual(answerHeaders(routed.headers as Record<string, string>));
    const routed304 = await server.http.inject({
      method: 'GET',
      url: POINTS_PATH,
      headers: { 'if-none-match': routed.headers.etag as string },
    });
    const front304 = await fetch(server.url + POINTS_PATH, { headers: { 'if-none-match': routed.headers.etag as string } });
    expect([routed304.statusCode, front304.status]).toEqual([304, 304]);
    const strip = (h: Record<string, string>) => {
      const out = answerHeaders(h);
      delete out['content-length'];
      return out;
    };
    expect(strip(Object.fromEntries(front304.headers))).toEqual(strip(routed304.headers as Record<string, string>));
    // A query string is Fastify's to answer, with the same answer.
    const withQuery = await fetch(`${server.url}${POINTS_PATH}?lang=en`);
    expect(await withQuery.text()).toBe(routed.body);
  });
});
