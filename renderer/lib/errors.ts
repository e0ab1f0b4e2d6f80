// One error type for both transports, so pages can tell "no answer" apart from "the server said no".
import type { ApiError } from '../../shared/protocol';
import type { Refusal } from '../../shared/reasons';

export type RequestErrorCode = 'timeout' | 'offline' | 'network' | 'unauthorized' | string;

export class RequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    message: string,
    /** The server's hint with rate-limited: when the same request would be taken. */
    readonly retryAfterMs?: number,
    /** Why the server refused (shared/reasons.ts): the pages word it with `useErrorText`. */
    readonly refusal?: Refusal,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** The server's refusal as a RequestError; a 401 is always `unauthorized` (the page goes back to its PIN form). */
export function refusedError(error: ApiError, status?: number): RequestError {
  const refusal = { reason: error.reason, params: error.params ?? {} } as Refusal;
  return new RequestError(status === 401 ? 'unauthorized' : error.code, error.reason, error.retryAfterMs, refusal);
}
