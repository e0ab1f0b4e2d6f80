import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { z } from 'zod';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import './styles.css';

// The server's CSP allows no eval: zod would otherwise probe for it (new Function) and log a violation.
z.config({ jitless: true });
document.documentElement.lang = i18n.global.locale.value;
createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
