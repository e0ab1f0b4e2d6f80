// Ties a page to the queue: connects with its role's token while mounted, and sends the
// page back to the PIN form when the server refuses the token.
import { computed, onMounted, onUnmounted, watch } from 'vue';
import { PIN_ROLES, type Role } from '../../shared/roles';
import { useAuthStore } from '../stores/auth';
import { useQueueStore } from '../stores/queue';

/** keepOfflineCopy: the page shows the last queue it saw after a reload while the server is away (queueCopy.ts). */
export function useQueueSession(role: Role, { keepOfflineCopy = false } = {}) {
  const auth = useAuthStore();
  const queue = useQueueStore();
  const needsPin = PIN_ROLES.includes(role);
  const token = computed(() => (needsPin ? (auth.tokens[role] ?? null) : null));
  let close: (() => void) | null = null;

  function open(): void {
    close?.();
    close = null;
    if (needsPin && !token.value) return;
    close = queue.connect(token.value, () => auth.forget(role, true), keepOfflineCopy);
  }

  onMounted(open);
  watch(token, open);
  onUnmounted(() => close?.());

  return { token, signedIn: computed(() => !needsPin || token.value !== null) };
}
