import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { i18n, savedLocale, setLocale } from './i18n';
import { registerServiceWorker } from './lib/serviceWorker';
import { loadSiteInfo } from './lib/site';
import { router } from './router';
import './styles.css';

// The site's time zone (and demo mark) arrive while the page starts; times re-render when they do.
void loadSiteInfo().catch(() => {});
// The remembered language's messages are in place before the first render (English is a separate file).
void setLocale(savedLocale())
  .catch(() => {})
  .finally(() => {
    createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
    void registerServiceWorker().catch(() => {});
  });
