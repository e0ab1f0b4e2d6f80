import type { ApiError } from '../../shared/protocol';
import { errorCodeOf, type ErrorCode, type ParamsArg, type ReasonCode, type Refusal } from '../../shared/reasons';

/**
 * A refusal the user should read: a reason from shared/reasons.ts with its params, sent back as
 * { ok: false, error } (sockets) or { error } (HTTP). The pages word it; the Error's message is the
 * reason code, for logs.
 */
export class ActionError<R extends ReasonCode = ReasonCode> extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  retryAfterMs?: number;

  constructor(
    readonly reason: R,
    ...[params]: ParamsArg<R>
  ) {
    super(reason);
    this.code = errorCodeOf(reason);
    this.params = params ?? {};
  }

  /** A refusal a shared rule answered. */
  static of(refusal: Refusal): ActionError {
    return new (ActionError as new (reason: ReasonCode, params: unknown) => ActionError)(refusal.reason, refusal.params);
  }

  /** With rate-limited: when the same request would be taken. */
  retryAfter(ms: number): this {
    this.retryAfterMs = ms;
    return this;
  }

  toApiError(): ApiError {
    const refusal = { reason: this.reason, params: this.params } as Refusal;
    return { code: this.code, ...refusal, ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }) };
  }
}
