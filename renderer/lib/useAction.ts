// Busy and error state for a button that sends a request, so every page reports failures alike.
import { ref } from 'vue';
import { useErrorText } from './errorText';

/** errorText: how this page words a failure (a page with codes of its own brings its own). */
export function useAction(errorText: (e: unknown) => string = useErrorText()) {
  const busy = ref(false);
  const error = ref<string | null>(null);

  /** Runs one user action; returns its result, or undefined when it failed (the error is shown). */
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = null;
    try {
      return await action();
    } catch (e) {
      error.value = errorText(e);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run };
}
