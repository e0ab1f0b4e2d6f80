// HTTP calls with the staff token; a refused token sends the page back to the PIN form.
import { useAuthStore } from '../stores/auth';
import { apiRequest, apiUpload, type UploadProgress } from './api';
import { RequestError } from './errors';

export function useStaffApi() {
  const auth = useAuthStore();

  return async function staffRequest<T>(path: string, body?: Blob): Promise<T> {
    try {
      return await apiRequest<T>(path, { token: auth.tokens.staff, body });
    } catch (e) {
      if (e instanceof RequestError && e.code === 'unauthorized') auth.forget('staff', true);
      throw e;
    }
  };
}

/** A file sent with the staff token, with upload progress; a refused token sends the page back to the PIN form. */
export function useStaffUpload() {
  const auth = useAuthStore();

  return async function staffUpload<T>(path: string, file: Blob, onProgress: (p: UploadProgress) => void): Promise<T> {
    try {
      return await apiUpload<T>(path, file, auth.tokens.staff, onProgress);
    } catch (e) {
      if (e instanceof RequestError && e.code === 'unauthorized') auth.forget('staff', true);
      throw e;
    }
  };
}
