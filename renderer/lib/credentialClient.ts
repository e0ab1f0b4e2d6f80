// Requests that carry a credential, over http.ts: a role's token (lib/api.ts) or a team's link
// (useTeamLink.ts). Its own module, so the first download (which reads the site's settings with a
// plain request) does not carry it.
import { RequestError } from './errors';
import { request, send, sendFile, type UploadProgress } from './http';

/**
 * Requests that carry a credential: `credential` gives it (renewed first, when it renews), `refused`
 * hears that the server refused it (401), after which the request still fails.
 */
export function credentialClient(credential: () => Promise<string | null>, refused: () => void) {
  async function withCredential<T>(attempt: (token: string | null) => Promise<T>): Promise<T> {
    const token = await credential();
    try {
      return await attempt(token);
    } catch (e) {
      if (e instanceof RequestError && e.code === 'unauthorized') refused();
      throw e;
    }
  }

  return {
    /** GET, or POST with a JSON body; resolves to the JSON answer. */
    call<T>(path: string, json?: unknown): Promise<T> {
      return withCredential((token) => request<T>(path, { json, token }));
    },
    /** POST a file as the body, reporting how far it has come. */
    upload<T>(path: string, file: Blob, onProgress: (p: UploadProgress) => void = () => {}): Promise<T> {
      return withCredential((token) => sendFile<T>(path, file, token, onProgress));
    },
    /** Fetches a file the server makes and hands it to the browser as a download. */
    async download(path: string, filename: string): Promise<void> {
      const url = URL.createObjectURL(await withCredential(async (token) => (await send(path, { token })).blob()));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}
