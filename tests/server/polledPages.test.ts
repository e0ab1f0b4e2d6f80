// The polled phone pages' machinery, without a database: one snapshot read a second for all who
// ask, each answer (body, tag, headers) made once per snapshot, 304s for the tag a phone holds, and
// the front door that answers exact GETs before the app and leaves everything else to it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLL_MAX_AGE_S } from '../../shared/poll';
import type { GroupView, Snapshot } from '../../shared/protocol';
import { turnPath } from '../../shared/turnView';
import { securityHeaderList } from '../../server/http/securityHeaders';
import {
  answerFirst,
  matchesTag,
  PolledAnswer,
  PolledFront,
  POLL_REFRESH_MS,
  polledRoute,
  RecentSnapshot,
} from '../../server/turn/polledPages';
import { ActionError } from '../../server/queue/actionError';
import { groupView } from '../support/groupView';

const group = (id: number, state: GroupView['state']): GroupView => groupView(id, state, { createdAt: '2026-12-01T01:00:00Z' });
const snapshot = (version: number, groups: GroupView[]): Snapshot => ({
  version,
  round: { id: 1, name: 'r', date: '2026-12-01' },
  points: [{ code: 'A', name: 'A', poolSize: 10 }],
  groups,
  counts: { registered: 0, sampled: 0, waitingGroups: 0 },
});

/** A store that counts its reads and answers when told; a clock the test moves. */
function fakeNode(groups: () => GroupView[]) {
  let time = 1_000_000;
  let reads = 0;
  const snapshots = new RecentSnapshot(
    async () => snapshot(++reads, groups()),
    () => time,
  );
  return { snapshots, reads: () => reads, tick: (ms: number) => void (time += ms) };
}

const views = (s: Snapshot) => (id: number) => {
  const g = s.groups.find((x) => x.id === id);
  return g ? { id, state: g.state, pollS: 5 } : null;
};
const route = (snapshots: RecentSnapshot) =>
  polledRoute<number>(snapshots, {
    path: '/api/turn/:group',
    keyOf: (p) => (/^\/api\/turn\/(\d+)$/.exec(p) ? Number(p.split('/')[3]) : null),
    views,
    invalid: () => new ActionError('request.invalid', { fields: 'group' }),
    missing: (id) => new ActionError('group.not-found', { id: String(id) }),
  });

describe('the snapshot behind the answers', () => {
  it('is read once for every page that asks meanwhile, kept for a second, then read again', async () => {
    const node = fakeNode(() => [group(1, 'waiting')]);
    const [a, b] = await Promise.all([node.snapshots.current(), node.snapshots.current()]);
    expect(a).toBe(b);
    expect(node.reads()).toBe(1);
    node.tick(POLL_REFRESH_MS - 1);
    expect(node.snapshots.fresh()).toBe(a);
    node.tick(1);
    expect(node.snapshots.fresh()).toBeNull();
    expect((await node.snapshots.current()).snapshot.version).toBe(2);
  });

  it('is not kept when the read fails: the next ask reads again', async () => {
    let fail = true;
    const snapshots = new RecentSnapshot(async () => {
      if (fail) throw new Error('database away');
      return snapshot(1, []);
    });
    await expect(snapshots.current()).rejects.toThrow('database away');
    fail = false;
    expect((await snapshots.current()).snapshot.version).toBe(1);
  });
});

describe('a polled answer', () => {
  it('is made once per snapshot and key, keeps its tag while its body stays the same, and changes it with the body', async () => {
    let state: GroupView['state'] = 'waiting';
    const node = fakeNode(() => [group(1, state), group(2, 'waiting')]);
    const turn = route(node.snapshots);
    const first = await turn.answer('/api/turn/1');
    expect(first).toBeInstanceOf(PolledAnswer);
    expect(turn.answerNow('/api/turn/1')).toBe(first);
    expect(JSON.parse((first as PolledAnswer).body.toString())).toEqual({ id: 1, state: 'waiting', pollS: 5 });
    node.tick(POLL_REFRESH_MS);
    // Due for a new read: the front door leaves the request to the app, which reads.
    expect(turn.answerNow('/api/turn/1')).toBeUndefined();
    const same = (await turn.answer('/api/turn/1')) as PolledAnswer;
    expect(same).not.toBe(first);
    expect(same.etag).toBe((first as PolledAnswer).etag);
    state = 'called';
    node.tick(POLL_REFRESH_MS);
    const called = (await turn.answer('/api/turn/1')) as PolledAnswer;
    expect(called.etag).not.toBe(same.etag);
    expect(node.reads()).toBe(3);
  });

  it('refuses a path that names no key, and says what is missing for a key the snapshot does not hold', async () => {
    const turn = route(fakeNode(() => [group(1, 'waiting')]).snapshots);
    await expect(turn.answer('/api/turn/x')).rejects.toMatchObject({ reason: 'request.invalid' });
    expect(await turn.answer('/api/turn/9')).toMatchObject({ reason: 'group.not-found', params: { id: '9' } });
    expect(turn.answerNow('/api/turn/9')).toBeUndefined();
  });

  it('matches the tags a browser or a proxy sends back: the tag, its weak form, one of a list, or any', () => {
    expect(matchesTag('"abc"', '"abc"')).toBe(true);
    expect(matchesTag('W/"abc"', '"abc"')).toBe(true);
    expect(matchesTag('"x", "abc"', '"abc"')).toBe(true);
    expect(matchesTag('*', '"abc"')).toBe(true);
    expect(matchesTag('"abcd"', '"abc"')).toBe(false);
    expect(matchesTag(undefined, '"abc"')).toBe(false);
    expect(matchesTag('', '"abc"')).toBe(false);
  });
});

describe('the front door', () => {
  const node = fakeNode(() => [group(1, 'waiting')]);
  // Requests from 127.0.0.2 stand for those the app refuses (a LAN device over plain HTTP).
  const front = new PolledFront([route(node.snapshots)], (req) => req.socket.remoteAddress !== '127.0.0.2');
  let server: http.Server;
  let url: string;
  /** Requests the app behind the front door was left. */
  const leftToApp: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      leftToApp.push(`${req.method} ${req.url}`);
      res.writeHead(299).end();
    });
    answerFirst(server, front.answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await node.snapshots.current();
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a GET of the exact path with the body, its tag, caching and the security headers; 304 and no body for that tag', async () => {
    const ok = await fetch(url + turnPath(1));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 1, state: 'waiting', pollS: 5 });
    expect(ok.headers.get('cache-control')).toBe(`public, max-age=${POLL_MAX_AGE_S}`);
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
    for (const [name, value] of securityHeaderList()) expect(ok.headers.get(name), name).toBe(value);
    const etag = ok.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{16}"$/);

    const again = await fetch(url + turnPath(1), { headers: { 'if-none-match': etag } });
    expect([again.status, await again.text(), again.headers.get('etag')]).toEqual([304, '', etag]);
    expect(again.headers.get('x-content-type-options')).toBe('nosniff');
    expect(leftToApp).toEqual([]);
  });

  it('leaves the app every other request: a query string, HEAD, another path, a group not there', async () => {
    for (const [method, path] of [
      ['GET', `${turnPath(1)}?x=1`],
      ['HEAD', turnPath(1)],
      ['GET', '/api/site'],
      ['GET', turnPath(9)],
    ]) {
      expect((await fetch(url + path, { method })).status, `${method} ${path}`).toBe(299);
    }
    expect(leftToApp.splice(0)).toEqual([`GET ${turnPath(1)}?x=1`, `HEAD ${turnPath(1)}`, 'GET /api/site', `GET ${turnPath(9)}`]);
  });

  it('leaves the app what it would refuse, and everything once the server is closing', async () => {
    const status = (localAddress: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get(url + turnPath(1), { localAddress, agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .once('error', reject);
      });
    expect(await status('127.0.0.2')).toBe(299);
    expect(await status('127.0.0.1')).toBe(200);
    front.close();
    expect(await status('127.0.0.1')).toBe(299);
  });
});
