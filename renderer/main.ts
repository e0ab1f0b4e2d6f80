import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { i18n, savedLocale, setLocale } from './i18n';
import { registerServiceWorker } from './lib/serviceWorker';
import { router } from './router';
import './styles.css';

// The remembered language's messages are in place before the first render (English is a separate file).
void setLocale(savedLocale())
  .catch(() => {})
  .finally(() => {
    createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
    void registerServiceWorker().catch(() => {});
  });
