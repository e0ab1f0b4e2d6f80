import { formatResidentCode } from '../../shared/residentCode';
import { auditedQuery, parseSearchQuery, SEARCH_LIMIT, SEARCHES_PER_MINUTE, type ResidentSearchHit } from '../../shared/residentSearch';
import { ActionError } from '../queue/actionError';
import type { Actor } from '../queue/queueService';
import type { ResidentCrypto } from '../security/residentCrypto';
import { parseTags, type Store } from '../store/store';
import type { Limiter } from '../limits/limits';

/**
 * Kiosk search for someone without a code: by room, name, or pinyin initials; masked ID numbers
 * only, a few rows, rate-limited per device, and every search in the audit trail (the query
 * masked: no full name).
 */
export async function searchResidents(store: Store, crypto: ResidentCrypto, limiter: Limiter, actor: Actor, raw: unknown): Promise<ResidentSearchHit[]> {
  if (typeof raw !== 'string') throw new ActionError('invalid', 'give a search: ?q=3-2-501, a name, or pinyin initials');
  const query = parseSearchQuery(raw);
  if (!query) {
    throw new ActionError('invalid', 'search for a room with its building (3-501, 3-2-501), or at least 2 characters of a name or of pinyin initials (zsf); at most 40 characters');
  }
  // Per device (its address), on every node: a desk needs a few searches an hour, a script listing the roster thousands.
  const wait = await limiter.take(actor.device);
  if (wait > 0) {
    throw new ActionError('rate-limited', `more than ${SEARCHES_PER_MINUTE} searches a minute from this device: search again in ${Math.ceil(wait / 1000)} s`);
  }
  const rows = await store.write(async (tx) => {
    const found = await tx.searchResidents(query, SEARCH_LIMIT);
    await tx.audit({ ...actor, action: 'resident:search', subject: query.kind, detail: `${auditedQuery(query)}: ${found.length} found` }, new Date().toISOString());
    return found;
  });
  return rows.map((r) => ({
    name: r.name, household: r.household, idType: r.id_type, maskedIdNumber: r.id_masked, tags: parseTags(r.tags), code: formatResidentCode(crypto.codeFor(r.uid)),
  }));
}
