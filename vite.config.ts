import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The renderer is one single-page app; every role's page is a route in it.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [vue()],
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
