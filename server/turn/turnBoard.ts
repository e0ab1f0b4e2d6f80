// The turn pages' answers, from one snapshot a node reads at most once a second however many phones
// ask: 100,000 phones polling cost this node a second-old snapshot and a Map look-up each, not a
// socket each. Every node reads its own store, so with several nodes any of them can answer.
import { createHash } from 'node:crypto';
import type { Snapshot } from '../../shared/protocol';
import { turnView } from '../../shared/turnView';

/** How old the snapshot behind an answer may be. Phones ask every few seconds; this keeps the reads rare. */
export const TURN_REFRESH_MS = 1_000;

/** One group's answer: its JSON body and a tag of that body (equal bodies, equal tags: a phone with it gets a 304). */
export interface TurnAnswer {
  body: string;
  etag: string;
}

interface Board {
  readAt: number;
  snapshot: Snapshot;
  /** Answers made from this snapshot so far (null: no such group). */
  answers: Map<number, TurnAnswer | null>;
}

export class TurnBoard {
  private board: Board | null = null;
  private reading: Promise<Board> | null = null;

  constructor(private readonly readSnapshot: () => Promise<Snapshot>, private readonly clock: () => number = Date.now) {}

  /** Group `id`'s answer, or null when the round holds no such group (or it left the snapshot long after its sampling). */
  async answer(id: number): Promise<TurnAnswer | null> {
    const board = await this.current();
    let answer = board.answers.get(id);
    if (answer === undefined) {
      const view = turnView(board.snapshot.groups, id, new Date(board.readAt));
      answer = view && tagged(JSON.stringify(view));
      board.answers.set(id, answer);
    }
    return answer;
  }

  private async current(): Promise<Board> {
    if (this.board && this.clock() - this.board.readAt < TURN_REFRESH_MS) return this.board;
    // One read for every request that arrives while it runs.
    this.reading ??= this.readSnapshot().then(
      (snapshot) => {
        this.reading = null;
        this.board = { readAt: this.clock(), snapshot, answers: new Map() };
        return this.board;
      },
      (err: unknown) => {
        this.reading = null;
        throw err;
      },
    );
    return this.reading;
  }
}

function tagged(body: string): TurnAnswer {
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"` };
}

/** Whether an If-None-Match header names this tag (a list, weak tags, or `*`). */
export function matchesTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
