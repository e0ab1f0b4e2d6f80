// Each sampling point as a resident choosing where to go sees it (shared/pointsView.ts), from the
// page's live queue: the hall display's panel. The /points page polls the same from the server.
import { computed, onUnmounted, ref } from 'vue';
import { pointStatuses, type PointStatus } from '../../shared/pointsView';
import { useQueueStore } from '../stores/queue';

/** The live status of every point, re-read as the queue changes and every 15 s (the pace window slides). */
export function usePointsOverview() {
  const queue = useQueueStore();
  const now = ref(new Date());
  const ticker = setInterval(() => (now.value = new Date()), 15_000);
  onUnmounted(() => clearInterval(ticker));
  return computed<PointStatus[]>(() => pointStatuses(queue.points, queue.queue, queue.crowding, now.value));
}
