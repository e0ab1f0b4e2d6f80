import { formatResidentCode } from '../../shared/residentCode';
import { auditedQuery, parseSearchQuery, SEARCH_LIMIT, SEARCHES_PER_MINUTE, type ResidentSearchHit } from '../../shared/residentSearch';
import { ActionError } from '../queue/actionError';
import type { Actor } from '../../shared/roles';
import type { ResidentCrypto } from '../security/residentCrypto';
import { parseTags, type Store } from '../store/store';
import type { Limiter } from '../limits/limits';

/**
 * Kiosk search for someone without a code: by room, name, or pinyin initials; masked ID numbers
 * only, a few rows, rate-limited per device, and every search in the audit trail (the query
 * masked: no full name).
 */
export async function searchResidents(
  store: Store,
  crypto: ResidentCrypto,
  limiter: Limiter,
  actor: Actor,
  raw: unknown,
): Promise<ResidentSearchHit[]> {
  if (typeof raw !== 'string') throw new ActionError('search.missing');
  const query = parseSearchQuery(raw);
  if (!query) {
    throw new ActionError('search.too-short');
  }
  // Per device (its address), on every node: a desk needs a few searches an hour, a script listing the roster thousands.
  const wait = await limiter.take(actor.device);
  if (wait > 0) {
    throw new ActionError('search.too-many', { perMinute: SEARCHES_PER_MINUTE, seconds: Math.ceil(wait / 1000) }).retryAfter(wait);
  }
  const rows = await store.write(async (tx) => {
    const found = await tx.residents().search(query, SEARCH_LIMIT);
    await tx.audit(
      { ...actor, action: 'resident:search', subject: query.kind, detail: `${auditedQuery(query)}: ${found.length} found` },
      new Date().toISOString(),
    );
    return found;
  });
  return rows.map((r) => ({
    name: r.name,
    household: r.household,
    idType: r.id_type,
    maskedIdNumber: r.id_masked,
    tags: parseTags(r.tags),
    code: formatResidentCode(crypto.codeFor(r.uid)),
  }));
}
