// HTTP calls with the staff token; a refused token sends the page back to the PIN form.
import { useAuthStore } from '../stores/auth';
import { apiRequest } from './api';
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
