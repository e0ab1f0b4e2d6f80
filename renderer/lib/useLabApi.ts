// The lab page's HTTP calls with the staff token; a refused token sends the page back to the PIN form.
import { useAuthStore } from '../stores/auth';
import { apiRequest } from './api';
import { RequestError } from './errors';

export function useLabApi() {
  const auth = useAuthStore();

  async function request<T>(path: string, options: { json?: unknown; body?: Blob } = {}): Promise<T> {
    try {
      return await apiRequest<T>(path, { token: auth.tokens.staff, ...options });
    } catch (e) {
      if (e instanceof RequestError && e.code === 'unauthorized') auth.forget('staff', true);
      throw e;
    }
  }

  /** A file the server makes (the audit export), saved by the browser. */
  async function download(path: string, filename: string): Promise<void> {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${auth.tokens.staff ?? ''}` } });
    if (res.status === 401) auth.forget('staff', true);
    if (!res.ok) throw new RequestError(`http-${res.status}`, `${res.status} ${res.statusText}`);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
    URL.revokeObjectURL(url);
  }

  return { request, download };
}
