import { createHash } from 'node:crypto';

/** JSON with keys sorted at every level, so the same request always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** Marks the fingerprints below; those stored before them are bare base64url (no '.'). */
const VERSION = 'v2.';

/**
 * A request's fingerprint, stored with its reply: the operation and the request, less the fields a
 * client may legitimately change when it replays the same key (`vary`). A key replayed for another
 * operation or with another request has another fingerprint.
 */
export function fingerprint(op: string, request: object, vary: readonly string[] = []): string {
  const kept = Object.fromEntries(Object.entries(request).filter(([k]) => !vary.includes(k)));
  return VERSION + sha256(canonical({ op, request: kept }));
}

/**
 * Whether a stored fingerprint is this request's. Replies stored before fingerprints named the
 * operation (kiosk outboxes replaying across an upgrade) carry the whole request's hash, or none
 * at all where the write kept none (`unfingerprinted`: round opens and home samples).
 */
export function sameRequest(
  stored: string | null,
  op: string,
  request: object,
  vary: readonly string[],
  unfingerprinted: ReadonlySet<string>,
): boolean {
  if (stored === null) return unfingerprinted.has(op);
  if (stored.startsWith(VERSION)) return stored === fingerprint(op, request, vary);
  return stored === sha256(canonical(request));
}
