import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { VitePWA } from 'vite-plugin-pwa';
import { compression } from 'vite-plugin-compression2';

// The renderer is one single-page app; every role's page is a route in it.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [
    vue(),
    // Installable pages and a service worker (renderer/sw.ts) so they load from cache when the Wi-Fi drops.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: {
        name: '核酸采样排队 · NAT Queue',
        short_name: '核酸排队',
        description: 'Community mass PCR testing: the live queue, hall display and volunteer tablets',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f4f5f7',
        theme_color: '#0b57d0',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      // Precached: only the app shell every page needs (app-*.js is the entry, index-*.css its styles).
      // Page chunks are cached when first used, so a phone never downloads the staff pages.
      injectManifest: {
        globPatterns: ['index.html', 'assets/app-*.js', 'assets/index-*.css'],
      },
    }),
    // Every text file also as .br and .gz next to it, served by @fastify/static (preCompressed).
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|html|svg|webmanifest|json)$/, threshold: 512 }),
  ],
  define: {
    // vue-i18n: Composition API only, so the legacy API is left out of the bundle.
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: true,
    // Every component is <script setup>: Vue's Options API is left out too.
    __VUE_OPTIONS_API__: false,
  },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { output: { entryFileNames: 'assets/app-[hash].js' } },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/socket.io': { target: 'http://localhost:8080', ws: true },
    },
  },
});
