// The address other devices use to reach this server: its HTTPS LAN address (see shared/lanAccess.ts),
// learnt once per page from GET /api/tls. Until it is known (or when the server is older), the page's
// own origin.
import { computed, ref } from 'vue';
import { lanOrigin, TLS_INFO_PATH, type TlsInfo } from '../../shared/lanAccess';
import { request } from './http';

const info = ref<TlsInfo | null>(null);
let loading: Promise<void> | null = null;

export function useLanOrigin() {
  loading ??= request<TlsInfo>(TLS_INFO_PATH).then(
    (i) => {
      info.value = i;
    },
    () => {
      loading = null; // tried again by the next page that asks
    },
  );
  return { info, origin: computed(() => lanOrigin(location.origin, info.value)), loaded: () => loading };
}
