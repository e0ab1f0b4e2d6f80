// The kiosk's tube mode (pooled 10-in-1, single tube, household tube), kept per device: a kiosk
// at a sealed compound stays in household mode across reloads. Sent with every scan.
import { ref, watch } from 'vue';
import { TUBE_MODES, type TubeMode } from '../../shared/tubeModes';

const STORAGE_KEY = 'nat-queue.tubeMode';

function saved(): TubeMode {
  const value = localStorage.getItem(STORAGE_KEY);
  return TUBE_MODES.find((m) => m === value) ?? 'pooled';
}

const mode = ref<TubeMode>(saved());
watch(mode, (m) => localStorage.setItem(STORAGE_KEY, m));

export function useTubeMode() {
  return mode;
}
