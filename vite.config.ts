import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The renderer is one single-page app; every role's page is a route in it.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [vue()],
  // vue-i18n: Composition API only, so the legacy API is left out of the bundle.
  define: { __VUE_I18N_LEGACY_API__: false, __VUE_I18N_FULL_INSTALL__: true },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/socket.io': { target: 'http://localhost:8080', ws: true },
    },
  },
});
