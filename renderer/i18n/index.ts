// vue-i18n setup: Simplified Chinese by default, English on request; the choice is remembered per device.
// Only the default language is in the first download, and of it only what the app and a resident's
// phone pages need (the staff-side pages' messages come with those pages); English is fetched when chosen.
import { createI18n } from 'vue-i18n';
import zhCN, { type Messages } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'nat-queue.locale';

export function savedLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return LOCALES.find((l) => l === saved) ?? 'zh-CN';
}

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN } as Record<Locale, Messages>,
});

let moreMessages: Promise<void> | null = null;

/** The staff-side pages' Chinese messages (zh-CN.more.ts), before such a page opens (router.ts); once. */
export function loadMoreMessages(): Promise<void> {
  moreMessages ??= import('./zh-CN.more').then(
    ({ default: more }) => i18n.global.mergeLocaleMessage('zh-CN', more),
    (err: unknown) => {
      moreMessages = null; // the next navigation tries again
      throw err;
    },
  );
  return moreMessages;
}

async function ensureMessages(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
    i18n.global.setLocaleMessage('en', (await import('./en')).default);
  }
}

/** Switches the pages' language (loading its messages first) and remembers it on this device. */
export async function setLocale(locale: Locale): Promise<void> {
  await ensureMessages(locale);
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
