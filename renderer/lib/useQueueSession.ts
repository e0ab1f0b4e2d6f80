// Ties a page to the queue: connects with its role's token while mounted (renewed before every
// reconnect and every minute while open), and sends the page back to the PIN form when the server
// refuses the token. The role is provided to the page's components (useCan).
import { computed, onMounted, onUnmounted, watch } from 'vue';
import { PIN_ROLES, type Role } from '../../shared/roles';
import { useAuthStore } from '../stores/auth';
import { provideRole } from './role';
import { canFor } from './useCan';
import { useQueueStore } from '../stores/queue';

/** How often an open page asks whether its token is due for renewal (a request only when it is). */
const RENEWAL_CHECK_MS = 60_000;

/** keepOfflineCopy: the page shows the last queue it saw after a reload while the server is away (queueCopy.ts). */
export function useQueueSession(role: Role, { keepOfflineCopy = false } = {}) {
  provideRole(role);
  const auth = useAuthStore();
  const queue = useQueueStore();
  const needsPin = PIN_ROLES.includes(role);
  const token = computed(() => (needsPin ? (auth.tokens[role] ?? null) : null));
  // The session, not each renewed token: renewal must not reconnect.
  const signedIn = computed(() => !needsPin || token.value !== null);
  let close: (() => void) | null = null;
  /** The token the last handshake carried. */
  let sent: string | null = null;

  async function credentials(): Promise<string | null> {
    await auth.renew(role);
    sent = auth.tokens[role] ?? null;
    return sent;
  }

  function open(): void {
    close?.();
    close = null;
    if (!signedIn.value) return;
    close = queue.connect(
      needsPin ? credentials : null,
      async () => {
        // A newer token (renewed, or a new login after a staff PIN change) arrived while the refused one was on its way.
        await auth.settled(role);
        const current = auth.tokens[role];
        if (current && current !== sent) return true;
        auth.forget(role, true);
        return false;
      },
      keepOfflineCopy,
    );
  }

  // A plain interval, not vueuse's: the resident's /points page opens a session too, and carries no vueuse.
  const timer = needsPin ? setInterval(() => void auth.renew(role), RENEWAL_CHECK_MS) : undefined;
  onMounted(open);
  watch(signedIn, open);
  onUnmounted(() => {
    clearInterval(timer);
    close?.();
  });

  /** What the page's role may do (its components ask useCan): the page offers nothing else. */
  return { token, signedIn, can: canFor(role) };
}
