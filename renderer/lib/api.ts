// The pages' HTTP client as a role: the role's token from the auth store attached; a refused token sends
// the page back to its PIN form; a token due for renewal is renewed first.
import { ROLES, type Role } from '../../shared/roles';
import { useAuthStore } from '../stores/auth';
import { RequestError } from './errors';
import { send, sendFile, type UploadProgress } from './http';
import { useRole } from './role';

// Pages reach plain requests and the upload progress type through here too.
export { request, type UploadProgress } from './http';

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

  async function asRole<T>(attempt: (token: string | null) => Promise<T>): Promise<T> {
    await auth.renew(role);
    try {
      return await attempt(auth.tokens[role] ?? null);
    } catch (e) {
      if (e instanceof RequestError && e.code === 'unauthorized') auth.forget(role, true);
      throw e;
    }
  }

  return {
    /** GET, or POST with a JSON body. */
    call<T>(path: string, json?: unknown): Promise<T> {
      return asRole(async (token) => (await send(path, { json, token })).json() as Promise<T>);
    },
    /** POST a file as the body, reporting how far it has come. */
    upload<T>(path: string, file: Blob, onProgress: (p: UploadProgress) => void = () => {}): Promise<T> {
      return asRole((token) => sendFile<T>(path, file, token, onProgress));
    },
    /** Fetches a file the server makes and hands it to the browser as a download. */
    async download(path: string, filename: string): Promise<void> {
      const url = URL.createObjectURL(await asRole(async (token) => (await send(path, { token })).blob()));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}

