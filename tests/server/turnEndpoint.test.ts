// A resident's turn page polls GET /api/turn/:group instead of holding a socket: only that group's
// public progress, cacheable for a few seconds, a 304 for a phone that already has the answer,
// and every node answers (each from its own store).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLL_MAX_AGE_S } from '../../shared/poll';
import { turnPath, turnPollS, type TurnView } from '../../shared/turnView';
import { BACKENDS } from '../support/backends';
import { callNext, ok, residents, scanAll, startSiteWithRoster, type RosterSite } from './helpers';

const PEOPLE = residents(0, 25);

async function poll(url: string, etag?: string): Promise<{ status: number; etag: string | null; cache: string | null; body: string }> {
  const res = await fetch(url, { headers: etag ? { 'if-none-match': etag } : {} });
  return { status: res.status, etag: res.headers.get('etag'), cache: res.headers.get('cache-control'), body: await res.text() };
}

describe.each(BACKENDS)('the turn page endpoint (%s)', (backend) => {
  let rs: RosterSite;
  beforeAll(async () => {
    rs = await startSiteWithRoster(backend, PEOPLE);
  });
  afterAll(async () => {
    await rs?.site.close();
  });

  it("answers one group's public view with a tag, 304 for the same tag, and a new answer once that group changes", async () => {
    const kiosk = await rs.site.connect('kiosk', 'turn-kiosk', 0);
    const placed = await scanAll(
      kiosk,
      PEOPLE.slice(0, 20).map((p) => rs.code(p)),
    );
    const [first, second] = [placed[0].group, placed[19].group];
    expect(first.id).not.toBe(second.id);

    const tags = new Map<string, string>();
    for (const [n, server] of rs.site.servers.entries()) {
      const url = server.url + turnPath(second.id);
      // The scans above may be newer than the snapshot a node holds, for up to a second.
      await expect.poll(async () => JSON.parse((await poll(url)).body).state, { timeout: 5_000 }).toBe('waiting');
      const answer = await poll(url);
      expect(answer.status).toBe(200);
      expect(answer.cache).toBe(`public, max-age=${POLL_MAX_AGE_S}`);
      expect(answer.etag).toMatch(/^"[\w-]{16}"$/);
      const view = JSON.parse(answer.body) as TurnView;
      // Nothing personal and nothing of other groups but a count: exactly these fields.
      expect(view).toEqual({
        id: second.id,
        label: second.label,
        state: 'waiting',
        ahead: 1,
        minutes: null,
        desk: null,
        pollS: turnPollS('waiting', 1),
      });
      for (const p of PEOPLE) expect(answer.body).not.toContain(p.name.slice(1));

      const again = await poll(url, answer.etag!);
      expect([again.status, again.body, again.etag]).toEqual([304, '', answer.etag]);
      expect((await poll(url, `W/${answer.etag}, "other"`)).status).toBe(304);
      tags.set(`${n}:second`, answer.etag!);
      tags.set(`${n}:first`, (await poll(server.url + turnPath(first.id))).etag!);
    }

    // The first group is called: its answer changes (its desk), the second's stays the same (still one group ahead).
    const tablet = await rs.site.connect('volunteer', 'turn-tablet', 0);
    expect(ok(await callNext(tablet))?.id).toBe(first.id);
    for (const [n, server] of rs.site.servers.entries()) {
      const url = server.url + turnPath(first.id);
      await expect.poll(async () => (await poll(url, tags.get(`${n}:first`))).status, { timeout: 5_000 }).toBe(200);
      expect(JSON.parse((await poll(url)).body)).toMatchObject({ state: 'called', desk: 1, ahead: 0, minutes: null });
      expect((await poll(server.url + turnPath(second.id), tags.get(`${n}:second`))).status).toBe(304);
    }
    kiosk.socket.close();
    tablet.socket.close();
  });

  it('says 404 for a group the round does not hold and 400 for what is not a group number', async () => {
    const missing = await poll(rs.site.url + turnPath(999_999));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('not-found');
    for (const bad of ['abc', '0', '-1', '1.5', '12345678901']) {
      const res = await poll(`${rs.site.url}/api/turn/${bad}`);
      expect(res.status, bad).toBe(400);
    }
  });
});
