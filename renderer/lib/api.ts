// The pages' HTTP client as a role: the role's token from the auth store attached; a refused token sends
// the page back to its PIN form; a token due for renewal is renewed first.
import { ROLES, type Role } from '../../shared/roles';
import { useAuthStore } from '../stores/auth';
import { credentialClient } from './credentialClient';
import { useRole } from './role';

/**
 * Requests as a role (by default the one the page signed in as, provideRole): its token attached (renewed
 * when due); a refused token forgets it and shows the PIN form.
 */
export function useApi(as?: Role) {
  const provided = useRole();
  const named = as ?? ROLES.find((r) => r === provided);
  if (!named) throw new Error('useApi: the page names no role to send requests as (provideRole)');
  const role: Role = named;
  const auth = useAuthStore();

  return credentialClient(
    async () => {
      await auth.renew(role); // never rejects: without an answer the token still works until it expires
      return auth.tokens[role] ?? null;
    },
    () => auth.forget(role, true),
  );
}
