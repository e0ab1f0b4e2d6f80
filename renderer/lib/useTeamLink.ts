// A home-sampling team's tablet signs in with the link staff gave it: the credential arrives in the
// link's fragment (#team=…), is kept in localStorage so the tablet survives a reload, and is taken
// out of the address bar at once. A refused credential (reissued, expired) is forgotten.
import { ref } from 'vue';
import { credentialOfLink } from '../../shared/homeTeams';
import { request } from './api';
import { RequestError } from './errors';

const STORAGE_KEY = 'nat-queue.home-team-link';

export function useTeamLink() {
  const fromLink = credentialOfLink(location.hash);
  if (fromLink) {
    localStorage.setItem(STORAGE_KEY, fromLink);
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  const credential = ref(localStorage.getItem(STORAGE_KEY));
  /** The server refused the credential: the team needs a new link from staff. */
  const revoked = ref(false);

  function forget(): void {
    localStorage.removeItem(STORAGE_KEY);
    credential.value = null;
  }

  async function call<T>(path: string, json?: unknown): Promise<T> {
    try {
      return await request<T>(path, { token: credential.value, json });
    } catch (e) {
      if (e instanceof RequestError && e.code === 'unauthorized') {
        forget();
        revoked.value = true;
      }
      throw e;
    }
  }

  return { credential, revoked, call, forget };
}
