// When a green-channel (priority) group that is still forming should be closed and sent in: its
// few elderly people must not wait all day for a group of ten. The minutes are a setting of this
// device (kiosk or volunteer tablet), kept in localStorage: a prompt on one screen needs no
// server state, and each team can tune it to how fast its green channel fills.
import { useNow } from '@vueuse/core';
import { computed, ref, watch } from 'vue';
import type { GroupView } from '../../shared/protocol';

const STORAGE_KEY = 'nat-queue.priorityPromptMinutes';
export const DEFAULT_PROMPT_MINUTES = 10;
export const MAX_PROMPT_MINUTES = 240;
/** How often the waited minutes are read again. */
const TICK_MS = 5000;

function saved(): number {
  const n = Number(localStorage.getItem(STORAGE_KEY));
  return Number.isInteger(n) && n >= 1 && n <= MAX_PROMPT_MINUTES ? n : DEFAULT_PROMPT_MINUTES;
}

const minutes = ref(saved());
watch(minutes, (n) => localStorage.setItem(STORAGE_KEY, String(n)));

/** The device's setting, as a field binds it. */
export function usePromptMinutes() {
  return minutes;
}

/** Whole minutes this forming priority group has waited, once it is past the setting; else null. */
export function usePriorityPrompt(group: () => GroupView | undefined) {
  const now = useNow({ interval: TICK_MS });

  const waited = computed(() => {
    const g = group();
    if (!g?.priority || g.state !== 'forming' || g.members.length === 0) return null;
    const n = Math.floor((now.value.getTime() - Date.parse(g.createdAt)) / 60_000);
    return n >= minutes.value ? n : null;
  });
  return { waited };
}
