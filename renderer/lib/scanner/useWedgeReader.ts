// The kiosk's scan field as a keyboard-wedge reader: the text is built from keydown events (so a
// Chinese IME cannot garble a code), each entry is told scanner or typed by its rhythm, and Enter
// submits. Composition and whatever an IME writes into the field are ignored.
import { useEventListener } from '@vueuse/core';
import { ref, watch, type Ref } from 'vue';
import { classifyBurst, type InputVia } from './burst';
import { isTextEntry } from './textEntry';
import { asciiOnly, keyChar } from './wedgeKeys';

export function useWedgeReader(
  field: Ref<HTMLInputElement | null>,
  maxLength: number,
  onSubmit: (text: string, via: InputVia) => void,
  /** False while another form (walk-in) has the keyboard. */
  enabled: () => boolean = () => true,
  /** A burst that arrived outside any text field while disabled: not taken, so the page must say so. */
  onRefused: () => void = () => {},
) {
  const text = ref('');
  let times: number[] = [];
  /** Pasted or corrected text is typed, however fast its keys came. */
  let edited = false;

  function reset(): void {
    text.value = '';
    times = [];
    edited = false;
  }

  function append(s: string, at: number | null): void {
    const room = maxLength - text.value.length;
    if (room <= 0) return;
    text.value += s.slice(0, room);
    if (at === null) edited = true;
    else times.push(at);
  }

  function onKeydown(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.code === 'Enter' || e.code === 'NumpadEnter' || e.key === 'Enter') {
      e.preventDefault();
      const input = text.value.trim();
      const via: InputVia = edited ? 'typed' : classifyBurst(times);
      // Clear at once: a scanner may send the next code before this one is answered.
      reset();
      if (input) onSubmit(input, via);
      return;
    }
    if (e.key === 'Backspace' || e.code === 'Backspace') {
      e.preventDefault();
      text.value = text.value.slice(0, -1);
      times.pop();
      edited = true;
      return;
    }
    if (e.key === 'Escape' || e.code === 'Escape') {
      e.preventDefault();
      reset();
      return;
    }
    const char = keyChar({ key: e.key, code: e.code, shiftKey: e.shiftKey, capsLock: e.getModifierState?.('CapsLock') });
    if (char === null) return;
    e.preventDefault();
    append(char, e.timeStamp);
  }

  /**
   * Keys that land outside any text field (on a just-tapped button, tube-mode radio or point list,
   * or nowhere) still belong to the scanner: a scan right after a tap must not lose its characters
   * to that control (a radio ignores letters, a list jumps to the option they spell) while focus
   * comes back. The burst moves focus to the scan field, so its Enter submits the scan instead of
   * clicking the control.
   */
  function onStrayKeydown(e: KeyboardEvent): void {
    const el = field.value;
    const target = e.target instanceof Element ? e.target : null;
    if (!el || target === el || isTextEntry(target)) return;
    const enter = e.code === 'Enter' || e.code === 'NumpadEnter' || e.key === 'Enter';
    const char = keyChar({ key: e.key, code: e.code, shiftKey: e.shiftKey, capsLock: e.getModifierState?.('CapsLock') });
    // Enter and Space on a focused button are the button's own, unless a scan is under way.
    if (text.value === '' && (enter || char === ' ' || char === null)) return;
    if (!enter && char === null) return;
    if (enabled()) {
      el.focus({ preventScroll: true });
      onKeydown(e);
      return;
    }
    // Another form has the keyboard: the burst is read (so its Enter clicks nothing) but not scanned.
    e.preventDefault();
    if (!enter) {
      append(char!, e.timeStamp);
      return;
    }
    reset();
    onRefused();
  }

  function onPaste(e: ClipboardEvent): void {
    e.preventDefault();
    append(asciiOnly(e.clipboardData?.getData('text') ?? ''), null);
  }

  /** An IME (or anything else) wrote into the field: put back what the keys said. */
  function restore(): void {
    const el = field.value;
    if (el && el.value !== text.value) el.value = text.value;
  }

  // On whichever element the field is (listeners move with it), and on the page for keys that land elsewhere.
  useEventListener(field, 'keydown', onKeydown);
  useEventListener(field, 'paste', onPaste);
  useEventListener(field, ['input', 'compositionupdate', 'compositionend'], restore);
  watch(field, restore, { immediate: true });
  watch(text, restore, { flush: 'sync' });
  useEventListener(document, 'keydown', onStrayKeydown);

  return { text, reset };
}
