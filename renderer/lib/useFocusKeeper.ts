// Keeps the kiosk's scan field focused: a keyboard-wedge scanner types wherever focus is,
// so a scan must never land on a button or nowhere. Other form fields in use are left alone.
import { onUnmounted, type Ref } from 'vue';

const REFOCUS_DELAY_MS = 300;
const DRIFT_CHECK_MS = 1000;

export function useFocusKeeper(target: Ref<HTMLInputElement | null>, enabled: () => boolean) {
  let timer: ReturnType<typeof setTimeout> | undefined;

  function otherFieldInUse(): boolean {
    const el = document.activeElement;
    return el instanceof HTMLElement && el !== target.value && el.matches('input, select, textarea, [contenteditable="true"]');
  }

  function focusNow(): void {
    if (enabled() && !otherFieldInUse()) target.value?.focus({ preventScroll: true });
  }

  /** Called on the field's blur: the short delay lets a click on another control finish first. */
  function refocusSoon(): void {
    clearTimeout(timer);
    timer = setTimeout(focusNow, REFOCUS_DELAY_MS);
  }

  // Removing a focused element (a desk row that moved on) fires no blur, so also catch focus drifting to <body>.
  const drift = setInterval(() => {
    if (!document.activeElement || document.activeElement === document.body) focusNow();
  }, DRIFT_CHECK_MS);

  onUnmounted(() => {
    clearTimeout(timer);
    clearInterval(drift);
  });

  return { refocusSoon, focusNow };
}
