import { createHash } from 'node:crypto';

/** JSON with keys sorted at every level, so the same request always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A request's fingerprint, stored with its reply: a replayed key must carry the same request. */
export function requestHash(request: object): string {
  return createHash('sha256').update(canonical(request)).digest('base64url');
}
