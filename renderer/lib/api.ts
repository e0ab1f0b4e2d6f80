// The pages' one HTTP client: JSON or a file in, JSON or a download out, with the role's token from the
// auth store. Server errors become RequestErrors; a refused token sends the page back to its PIN form;
// a token due for renewal is renewed first.
import type { ErrorBody } from '../../shared/api';
import type { Role } from '../../shared/roles';
import { useAuthStore } from '../stores/auth';
import { RequestError } from './errors';

export interface RequestOptions {
  method?: 'GET' | 'POST';
  token?: string | null;
  json?: unknown;
  /** A file (a roster, a lab's result file); sent as application/octet-stream. */
  file?: Blob;
  /** Give up after this long (a renewal must not hold up a reconnect while the server is away). */
  timeoutMs?: number;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.file) {
    headers['Content-Type'] = 'application/octet-stream';
    body = options.file;
  }

  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? (body ? 'POST' : 'GET'), headers, body,
      signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
    });
  } catch (e) {
    throw new RequestError('network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const error = ((await res.json().catch(() => null)) as Partial<ErrorBody> | null)?.error;
    const code = res.status === 401 ? 'unauthorized' : (error?.code ?? `http-${res.status}`);
    throw new RequestError(code, error?.message ?? `${res.status} ${res.statusText}`);
  }
  return res;
}

/** A request outside any role's session (a login, a resident's own result); resolves to the JSON answer. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await send(path, options)).json() as Promise<T>;
}

/** Requests as a role: its token attached (renewed when due); a refused token forgets it and shows the PIN form. */
export function useApi(role: Role) {
  const auth = useAuthStore();

  async function asRole(path: string, options: RequestOptions): Promise<Response> {
    await auth.renew(role);
    try {
      return await send(path, { ...options, token: auth.tokens[role] ?? null });
    } catch (e) {
      if (e instanceof RequestError && e.code === 'unauthorized') auth.forget(role, true);
      throw e;
    }
  }

  return {
    /** GET, or POST with a JSON body. */
    async call<T>(path: string, json?: unknown): Promise<T> {
      return (await asRole(path, { json })).json() as Promise<T>;
    },
    /** POST a file as the body. */
    async upload<T>(path: string, file: Blob): Promise<T> {
      return (await asRole(path, { file })).json() as Promise<T>;
    },
    /** Fetches a file the server makes and hands it to the browser as a download. */
    async download(path: string, filename: string): Promise<void> {
      const url = URL.createObjectURL(await (await asRole(path, {})).blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}
