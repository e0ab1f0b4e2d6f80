// A small fetch wrapper for the HTTP API: JSON in and out, server errors become RequestErrors.
import type { ErrorBody } from '../../shared/api';
import { RequestError } from './errors';

interface Options {
  method?: 'GET' | 'POST';
  token?: string | null;
  json?: unknown;
  /** A raw body (a roster file); sent as application/octet-stream. */
  body?: Blob;
}

export async function apiRequest<T>(path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body) {
    headers['Content-Type'] = 'application/octet-stream';
    body = options.body;
  }

  let res: Response;
  try {
    res = await fetch(path, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
  } catch (e) {
    throw new RequestError('network', e instanceof Error ? e.message : String(e));
  }

  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (data as Partial<ErrorBody> | null)?.error;
    const code = res.status === 401 ? 'unauthorized' : (error?.code ?? `http-${res.status}`);
    throw new RequestError(code, error?.message ?? `${res.status} ${res.statusText}`);
  }
  return data as T;
}
