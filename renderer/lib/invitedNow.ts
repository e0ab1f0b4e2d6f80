// The buildings the staggered schedule invites now, from the page's live queue (display, volunteer),
// re-read every 15 s as slots begin and end.
import { computed, onUnmounted, ref } from 'vue';
import { invitedAt } from '../../shared/schedule';
import { useQueueStore } from '../stores/queue';

export function useInvitedNow() {
  const queue = useQueueStore();
  const now = ref(new Date());
  const ticker = setInterval(() => (now.value = new Date()), 15_000);
  onUnmounted(() => clearInterval(ticker));
  return computed(() => invitedAt(queue.schedule, now.value));
}
