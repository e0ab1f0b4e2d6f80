// vue-i18n setup: Simplified Chinese by default, English on request; the choice is remembered per device.
import { createI18n } from 'vue-i18n';
import zhCN, { type Messages } from './zh-CN';
import en from './en';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'nat-queue.locale';

function savedLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return LOCALES.find((l) => l === saved) ?? 'zh-CN';
}

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
