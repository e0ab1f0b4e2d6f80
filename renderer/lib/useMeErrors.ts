// The /me pages speak the resident's language: server codes become plain sentences.
import { useI18n } from 'vue-i18n';
import { RequestError } from './errors';
import { useErrorText } from './useAction';

export function useMeErrorText() {
  const { t } = useI18n();
  const fallback = useErrorText();
  return (e: unknown): string => {
    if (e instanceof RequestError) {
      if (e.code === 'not-found') return t('me.error.noMatch');
      if (e.code === 'rate-limited') return t('me.error.rateLimited');
      if (e.code === 'conflict') return t('me.error.registered');
    }
    return fallback(e);
  };
}
