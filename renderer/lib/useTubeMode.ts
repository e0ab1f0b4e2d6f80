// The kiosk's tube mode (pooled 10-in-1, single tube, household tube), sent with every scan.
// Pooled is the default and what the kiosk comes back to: a single tube is one person's, a
// household tube one household's, so the mode goes back to pooled once that tube is done (see
// the scans store), and a reload starts pooled. A forgotten mode would give the next people
// the wrong tube.
import { ref } from 'vue';
import type { TubeMode } from '../../shared/tubeModes';

export const DEFAULT_TUBE_MODE: TubeMode = 'pooled';

const mode = ref<TubeMode>(DEFAULT_TUBE_MODE);

export function useTubeMode() {
  return mode;
}
