import { formatResidentCode } from '../../shared/residentCode';
import { parseSearchQuery, SEARCH_LIMIT, type ResidentSearchHit } from '../../shared/residentSearch';
import { ActionError } from '../queue/actionError';
import type { ResidentCrypto } from '../security/residentCrypto';
import { parseTags, type Store } from '../store/store';

/** Kiosk search for someone without a code: by room, name, or pinyin initials; masked ID numbers only. */
export async function searchResidents(store: Store, crypto: ResidentCrypto, raw: unknown): Promise<ResidentSearchHit[]> {
  if (typeof raw !== 'string') throw new ActionError('invalid', 'give a search: ?q=3-2-501, a name, or pinyin initials');
  const query = parseSearchQuery(raw);
  if (!query) throw new ActionError('invalid', 'search for a room (3-2-501), a name, or pinyin initials (zsf), at most 40 characters');
  const rows = await store.read((tx) => tx.searchResidents(query, SEARCH_LIMIT));
  return rows.map((r) => ({
    name: r.name, household: r.household, maskedIdNumber: r.id_masked, tags: parseTags(r.tags), code: formatResidentCode(crypto.codeFor(r.uid)),
  }));
}
