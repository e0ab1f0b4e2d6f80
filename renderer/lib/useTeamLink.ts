// A home-sampling team's tablet signs in with the link staff gave it: the credential arrives in the
// link's fragment (#team=…), is kept in localStorage so the tablet survives a reload, and is taken
// out of the address bar at once. A refused credential (reissued, expired) is forgotten.
import { ref } from 'vue';
import { credentialOfLink } from '../../shared/homeTeams';
import { credentialClient } from './credentialClient';

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

  const { call } = credentialClient(
    async () => credential.value,
    () => {
      forget();
      revoked.value = true;
    },
  );

  return { credential, revoked, call, forget };
}
