// Keeps the kiosk's scan field focused: a keyboard-wedge scanner types wherever focus is,
// so a scan must never land on a button or nowhere. Other text fields in use are left alone, and
// so is an open list (the point list) until a choice is made; a radio or button gives focus back.
import { useIntervalFn, useTimeoutFn } from '@vueuse/core';
import type { Ref } from 'vue';
import { isTextEntry } from './scanner/textEntry';

const REFOCUS_DELAY_MS = 300;
const DRIFT_CHECK_MS = 1000;

export function useFocusKeeper(target: Ref<HTMLInputElement | null>, enabled: () => boolean) {
  function otherFieldInUse(): boolean {
    const el = document.activeElement;
    return el !== target.value && (isTextEntry(el) || el instanceof HTMLSelectElement);
  }

  function focusNow(): void {
    if (enabled() && !otherFieldInUse()) target.value?.focus({ preventScroll: true });
  }

  /** Called on the field's blur: the short delay lets a click on another control finish first. */
  const { start: refocusSoon } = useTimeoutFn(focusNow, REFOCUS_DELAY_MS, { immediate: false });

  // Removing a focused element (a desk row that moved on) fires no blur, so also catch focus drifting to <body>.
  useIntervalFn(() => {
    if (!document.activeElement || document.activeElement === document.body) focusNow();
  }, DRIFT_CHECK_MS);

  return { refocusSoon, focusNow };
}
