// The buildings the staggered schedule invites now, from the page's live queue (display, volunteer),
// re-read every 15 s as slots begin and end.
import { computed } from 'vue';
import { useNow } from '@vueuse/core';
import { invitedAt } from '../../shared/schedule';
import { useQueueStore } from '../stores/queue';

export function useInvitedNow() {
  const queue = useQueueStore();
  const now = useNow({ interval: 15_000 });
  return computed(() => invitedAt(queue.schedule, now.value));
}
