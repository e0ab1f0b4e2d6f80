// The one place a failed request becomes text: a server refusal by its reason (shared/reasons.ts, worded in
// renderer/i18n `reasons`), no answer by what went wrong. Every page reports failures through it.
import { useI18n } from 'vue-i18n';
import type { ReasonCode, Refusal } from '../../shared/reasons';
import { RequestError } from './errors';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** Params that are words of the domain (a state, a role): worded from these message sections. */
const PARAM_WORDS: Partial<Record<ReasonCode, Record<string, string>>> = {
  'auth.role-forbidden': { role: 'roles' },
  'pins.same-as-other': { role: 'roles' },
  'id.refused': { fault: 'idType.fault' },
  'group.wrong-state': { state: 'states' },
  'group.label-wrong-state': { state: 'states' },
  'member.remove-called': { state: 'states' },
  'box.not-open': { state: 'lab.boxState' },
  'tube.wrong-state': { state: 'lab.tubeState' },
  'visit.not-not-home': { status: 'coverage.visit' },
  'result-row.has-result': { result: 'lab.tubeResult' },
  'result-row.not-received': { state: 'lab.tubeState' },
};

/** A refusal in the page's language. */
export function refusalText(t: Translate, refusal: Refusal): string {
  const words = PARAM_WORDS[refusal.reason] ?? {};
  const params = Object.fromEntries(
    Object.entries(refusal.params).map(([name, value]) => [name, words[name] ? t(`${words[name]}.${value}`) : value]),
  );
  return t(`reasons.${refusal.reason}`, params);
}

/** Any failure of a request (or of an action around one) in the page's language. */
export function useErrorText() {
  const { t } = useI18n();
  return (e: unknown): string => {
    if (e instanceof RequestError) {
      if (e.refusal) return refusalText(t, e.refusal);
      if (e.code === 'timeout') return t('errors.timeout');
      if (e.code === 'offline') return t('errors.offline');
      if (e.code === 'network') return t('errors.network');
      if (e.code === 'unauthorized') return t('reasons.auth.login-required');
      return t('errors.http', { status: e.code.replace(/^http-/, '') });
    }
    return t('errors.unknown');
  };
}
