// Busy and error state for a button that sends a request, so every page reports failures alike.
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { RequestError } from './errors';

export function useErrorText() {
  const { t } = useI18n();
  return (e: unknown): string => {
    if (e instanceof RequestError) {
      if (e.code === 'timeout') return t('errors.timeout');
      if (e.code === 'offline') return t('errors.offline');
      if (e.code === 'network') return t('errors.network');
      return e.message;
    }
    return e instanceof Error ? e.message : t('errors.unknown');
  };
}

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
