// JSON requests and file downloads with a role's token; a refused token sends the page back to the PIN form.
import type { Role } from '../../shared/roles';
import { useAuthStore } from '../stores/auth';
import { apiRequest } from './api';
import { RequestError } from './errors';

export function useRoleApi(role: Role) {
  const auth = useAuthStore();

  function refused(e: unknown): never {
    if (e instanceof RequestError && e.code === 'unauthorized') auth.forget(role, true);
    throw e;
  }

  async function call<T>(path: string, json?: unknown): Promise<T> {
    try {
      return await apiRequest<T>(path, { token: auth.tokens[role], json });
    } catch (e) {
      return refused(e);
    }
  }

  /** Fetches a file with the token and hands it to the browser as a download. */
  async function download(path: string, filename: string): Promise<void> {
    let res: Response;
    try {
      res = await fetch(path, { headers: { Authorization: `Bearer ${auth.tokens[role] ?? ''}` } });
    } catch (e) {
      throw new RequestError('network', e instanceof Error ? e.message : String(e));
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
      refused(new RequestError(res.status === 401 ? 'unauthorized' : (body?.error?.code ?? `http-${res.status}`), body?.error?.message ?? res.statusText));
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return { call, download };
}
