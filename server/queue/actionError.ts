import type { ErrorCode } from '../../shared/protocol';

/** A refusal the user should read: sent back as { ok: false, error }. */
export class ActionError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}
