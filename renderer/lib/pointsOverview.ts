// Each sampling point as a resident choosing where to go sees it: people in line, the wait a
// newcomer would have, and how crowded that is. From the snapshot alone: masked data, no login.
import { computed, onUnmounted, ref } from 'vue';
import { crowdingOf, type CrowdingLevel } from '../../shared/crowding';
import type { GroupView } from '../../shared/protocol';
import { useQueueStore } from '../stores/queue';
import { pointWait } from '../../shared/waitEstimate';

export interface PointStatus {
  code: string;
  /** The name staff gave the point when they opened the round: where it is (东门广场). */
  name: string;
  /** People registered and not yet at a desk: in forming, waiting and called groups. */
  inLine: number;
  /** Minutes a newcomer would wait; null until enough groups are sampled to know the pace. */
  minutes: number | null;
  level: CrowdingLevel | null;
}

const IN_LINE = new Set(['forming', 'waiting', 'called']);

export function peopleInLine(groups: readonly GroupView[], point: string): number {
  return groups.filter((g) => g.point === point && IN_LINE.has(g.state))
    .reduce((n, g) => n + g.members.filter((m) => m.status === 'queued').length, 0);
}

/** Every group called or waiting at the point goes in before a newcomer's group. */
export function groupsAhead(groups: readonly GroupView[], point: string): number {
  return groups.filter((g) => g.point === point && (g.state === 'called' || g.state === 'waiting')).length;
}

/** The live status of every point, re-read as the queue changes and every 15 s (the pace window slides). */
export function usePointsOverview() {
  const queue = useQueueStore();
  const now = ref(new Date());
  const ticker = setInterval(() => (now.value = new Date()), 15_000);
  onUnmounted(() => clearInterval(ticker));
  const points = computed<PointStatus[]>(() => queue.points.map((p) => {
    const minutes = pointWait(queue.queue, p.code, groupsAhead(queue.queue, p.code), now.value);
    return { code: p.code, name: p.name, inLine: peopleInLine(queue.queue, p.code), minutes, level: crowdingOf(minutes, queue.crowding) };
  }));
  return { points };
}
