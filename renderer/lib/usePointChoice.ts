// Which sampling point a page serves: ?point=A, else the last choice on this device, else the first point.
import { computed, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { Role } from '../../shared/roles';
import { useQueueStore } from '../stores/queue';

export function usePointChoice(role: Role) {
  const route = useRoute();
  const router = useRouter();
  const queue = useQueueStore();
  const storageKey = `nat-queue.point.${role}`;

  const fromQuery = typeof route.query.point === 'string' ? route.query.point.toUpperCase() : null;
  const chosen = ref(fromQuery ?? localStorage.getItem(storageKey));

  const point = computed(() => {
    const codes = queue.points.map((p) => p.code);
    if (chosen.value && codes.includes(chosen.value)) return chosen.value;
    return codes[0] ?? null;
  });

  function choose(code: string): void {
    chosen.value = code;
    localStorage.setItem(storageKey, code);
    void router.replace({ query: { ...route.query, point: code } });
  }

  return { point, choose };
}
