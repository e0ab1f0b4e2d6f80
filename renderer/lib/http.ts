// The pages' one HTTP client: JSON or a file in, JSON or a download out; server errors become
// RequestErrors. No role and no store here (the auth store uses it to log in); credentialClient.ts
// sends with a credential, which lib/api.ts (a role's token) and useTeamLink.ts (a team's link) supply.
import type { ErrorBody } from '../../shared/api';
import { refusedError, RequestError } from './errors';

export interface RequestOptions {
  method?: 'GET' | 'POST';
  token?: string | null;
  json?: unknown;
  /** Give up after this long (a renewal must not hold up a reconnect while the server is away). */
  timeoutMs?: number;
}

export async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }

  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
    });
  } catch (e) {
    throw new RequestError('network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const error = ((await res.json().catch(() => null)) as Partial<ErrorBody> | null)?.error;
    if (error?.reason) throw refusedError(error, res.status);
    throw new RequestError(res.status === 401 ? 'unauthorized' : `http-${res.status}`, `${res.status} ${res.statusText}`);
  }
  return res;
}

/** A request outside any role's session (a login, a resident's own result); resolves to the JSON answer. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await send(path, options)).json() as Promise<T>;
}

/** How far an upload has come: bytes sent, then the server at work on the whole file. */
export interface UploadProgress {
  phase: 'uploading' | 'server';
  sent: number;
  total: number;
}

/**
 * POSTs a file as the raw body, reporting progress (fetch reports none for uploads); answers and
 * errors as `send` does.
 */
export function sendFile<T>(path: string, file: Blob, token: string | null, onProgress: (p: UploadProgress) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress({ phase: 'uploading', sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.upload.onload = () => onProgress({ phase: 'server', sent: file.size, total: file.size });
    xhr.onerror = () => reject(new RequestError('network', 'the upload failed: no answer from the server'));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON (a proxy's error page): the status says what happened.
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const error = (data as Partial<ErrorBody> | null)?.error;
      if (error?.reason) return reject(refusedError(error, xhr.status));
      reject(new RequestError(xhr.status === 401 ? 'unauthorized' : `http-${xhr.status}`, `${xhr.status} ${xhr.statusText}`));
    };
    onProgress({ phase: 'uploading', sent: 0, total: file.size });
    xhr.send(file);
  });
}
