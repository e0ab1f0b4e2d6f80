// One error type for both transports, so pages can tell "no answer" apart from "the server said no".
export type RequestErrorCode = 'timeout' | 'offline' | 'network' | 'unauthorized' | string;

export class RequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    message: string,
    /** The server's hint with rate-limited: when the same request would be taken. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
