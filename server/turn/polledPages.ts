// The pages phones poll instead of holding a socket (a resident's turn page, /points), answered by
// every node from one snapshot it reads at most once a second however many phones ask. Each answer
// is built once per snapshot — its body, its tag and its whole header list — so a poll costs a Map
// look-up and one write, and a phone that sends back its tag gets a bodiless 304. The common request
// (a GET of the exact path) is answered before Fastify routes it (polledFront); anything else — a
// query string, HEAD, a key the snapshot does not hold, a snapshot due for a new read, a LAN request
// over plain HTTP — goes through the Fastify route, which gives the same answers and the refusals.
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { POLL_MAX_AGE_S, type Polled } from '../../shared/poll';
import type { Snapshot } from '../../shared/protocol';
import type { buildHttp } from '../http/httpServer';
import { securityHeaderList } from '../http/securityHeaders';
import { ActionError } from '../queue/actionError';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

/** How old the snapshot behind an answer may be. Phones ask every few seconds; this keeps the reads rare. */
export const POLL_REFRESH_MS = 1_000;

export const POLL_CACHE = `public, max-age=${POLL_MAX_AGE_S}`;

interface Held {
  snapshot: Snapshot;
  readAt: number;
}

/** The node's snapshot, read again when a page asks and it is over POLL_REFRESH_MS old: one read for all who ask meanwhile. */
export class RecentSnapshot {
  private held: Held | null = null;
  private reading: Promise<Held> | null = null;

  constructor(
    private readonly read: () => Promise<Snapshot>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The snapshot held, while it is fresh enough; null when it is due for a new read. */
  fresh(): Held | null {
    return this.held && this.clock() - this.held.readAt < POLL_REFRESH_MS ? this.held : null;
  }

  current(): Promise<Held> {
    const held = this.fresh();
    if (held) return Promise.resolve(held);
    this.reading ??= this.read().then(
      (snapshot) => {
        this.reading = null;
        this.held = { snapshot, readAt: this.clock() };
        return this.held;
      },
      (err: unknown) => {
        this.reading = null;
        throw err;
      },
    );
    return this.reading;
  }
}

const SECURITY = securityHeaderList().flat();

/** Whether an If-None-Match header names this tag (a list, weak tags, or `*`). */
export function matchesTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/** One answer, made once per snapshot: its body, its tag (equal bodies, equal tags) and the header lists of a 200 and a 304. */
export class PolledAnswer {
  readonly body: Buffer;
  readonly etag: string;
  /** Flat [name, value, ...] lists, as writeHead takes them. */
  private readonly okHeaders: string[];
  private readonly notModifiedHeaders: string[];

  constructor(view: Polled) {
    this.body = Buffer.from(JSON.stringify(view));
    this.etag = `"${createHash('sha1').update(this.body).digest('base64url').slice(0, 16)}"`;
    this.notModifiedHeaders = [...SECURITY, 'cache-control', POLL_CACHE, 'etag', this.etag];
    this.okHeaders = [
      ...this.notModifiedHeaders,
      'content-type',
      'application/json; charset=utf-8',
      'content-length',
      String(this.body.length),
    ];
  }

  notModified(req: IncomingMessage): boolean {
    return matchesTag(req.headers['if-none-match'], this.etag);
  }

  /** Written straight to Node's response (before Fastify). */
  write(req: IncomingMessage, res: ServerResponse): void {
    if (this.notModified(req)) {
      res.writeHead(304, this.notModifiedHeaders).end();
    } else {
      res.writeHead(200, this.okHeaders).end(this.body);
    }
  }
}

/** What a page shows for a key in one snapshot: its view, or null when there is nothing under that key. */
export type PageViews<K> = (snapshot: Snapshot, now: Date) => (key: K) => Polled | null;

/** One polled page's answers, from the views of each snapshot (derived once per snapshot, answers made on first ask). */
export class PolledPage<K> {
  private built: { held: Held; view: (key: K) => Polled | null; answers: Map<K, PolledAnswer | null> } | null = null;

  constructor(
    private readonly snapshots: RecentSnapshot,
    private readonly views: PageViews<K>,
  ) {}

  /** The answer from the snapshot held now; undefined when that snapshot is due for a new read. */
  answerNow(key: K): PolledAnswer | null | undefined {
    const held = this.snapshots.fresh();
    return held ? this.answerFrom(held, key) : undefined;
  }

  async answer(key: K): Promise<PolledAnswer | null> {
    return this.answerFrom(await this.snapshots.current(), key);
  }

  private answerFrom(held: Held, key: K): PolledAnswer | null {
    if (this.built?.held !== held) this.built = { held, view: this.views(held.snapshot, new Date(held.readAt)), answers: new Map() };
    let answer = this.built.answers.get(key);
    if (answer === undefined) {
      const view = this.built.view(key);
      answer = view && new PolledAnswer(view);
      this.built.answers.set(key, answer);
    }
    return answer;
  }
}

/** A polled page's path, its key in that path, and its refusals. */
export interface PolledPageSpec<K> {
  /** The Fastify route's path (e.g. /api/turn/:group). */
  path: string;
  /** The page's key for a request path without its query; null when the path names none (the route refuses it). */
  keyOf(path: string): K | null;
  views: PageViews<K>;
  /** The refusal of a path keyOf does not take. */
  invalid(): ActionError;
  /** The refusal when the snapshot holds nothing under the key. */
  missing(key: K): ActionError;
}

export interface PolledRoute {
  path: string;
  /** The answer to a request path from the snapshot held now; undefined when it cannot be given at once (Fastify's route then answers). */
  answerNow(path: string): PolledAnswer | undefined;
  /** The answer to a request path, or the refusal when the snapshot holds nothing under its key; throws when the path names no key. */
  answer(path: string): Promise<PolledAnswer | ActionError>;
}

export function polledRoute<K>(snapshots: RecentSnapshot, spec: PolledPageSpec<K>): PolledRoute {
  const page = new PolledPage(snapshots, spec.views);
  return {
    path: spec.path,
    answerNow(path) {
      const key = spec.keyOf(path);
      return (key !== null && page.answerNow(key)) || undefined;
    },
    async answer(path) {
      const key = spec.keyOf(path);
      if (key === null) throw spec.invalid();
      return (await page.answer(key)) ?? spec.missing(key);
    },
  };
}

/** The Fastify route of a polled page: every request the front door leaves, with the same answers, and the refusals. */
export function registerPolledRoute(app: HttpApp, route: PolledRoute): void {
  app.get(route.path, async (req, reply) => {
    const answer = await route.answer(req.url.split('?')[0]);
    // Cacheable like the answer it stands for (a group not there stays so for the snapshot); failed reads are not.
    void reply.header('cache-control', POLL_CACHE);
    if (answer instanceof ActionError) throw answer;
    void reply.header('etag', answer.etag);
    if (answer.notModified(req.raw)) return reply.status(304).send();
    return reply.type('application/json; charset=utf-8').send(answer.body);
  });
}

/** Answers a request before Fastify routes it; false: not one it answers (Fastify does). */
export type FrontDoor = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The front door of the polled pages: a GET of one of their exact paths answered from the snapshot
 * held, before Fastify makes a request object, runs its hooks and builds the security headers anew.
 * `servesHere`: requests Fastify would serve at all (a LAN request over plain HTTP is refused there).
 */
export class PolledFront {
  private open = true;

  constructor(
    private readonly routes: readonly PolledRoute[],
    private readonly servesHere: (req: IncomingMessage) => boolean,
  ) {}

  readonly answer: FrontDoor = (req, res) => {
    if (!this.open || req.method !== 'GET' || !this.servesHere(req)) return false;
    for (const route of this.routes) {
      const answer = route.answerNow(req.url ?? '');
      if (answer) {
        answer.write(req, res);
        return true;
      }
    }
    return false;
  };

  /** Closing: Fastify answers the last requests (a 503 that closes their connections), so no poll keeps one open. */
  close(): void {
    this.open = false;
  }
}

/** Puts the front door before a server's other request listeners (Fastify's, Socket.IO's), as Socket.IO puts its own. */
export function answerFirst(server: Server, front: FrontDoor): void {
  const others = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (front(req, res)) return;
    for (const listener of others) listener.call(server, req, res);
  });
}
