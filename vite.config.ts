import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { baseCompile } from '@intlify/message-compiler';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { VitePWA } from 'vite-plugin-pwa';
import { compression } from 'vite-plugin-compression2';

/**
 * The message files compiled at build time into vue-i18n's message trees, so the pages carry its
 * runtime only: no message compiler in the download, and nothing evaluated in the browser.
 */
function precompiledMessages(): Plugin {
  const compileTree = (value: unknown, at: string): unknown => {
    if (typeof value === 'string') {
      const { ast } = baseCompile(value, {
        jit: true,
        optimize: true,
        minify: true,
        location: false,
        onError: (e) => {
          throw new Error(`${at}: ${e.message}`);
        },
      });
      return ast;
    }
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compileTree(v, `${at}.${k}`)]));
    throw new Error(`${at}: a message must be a string`);
  };
  return {
    name: 'natq:precompiled-messages',
    apply: 'build',
    config: () => ({
      resolve: { alias: { 'vue-i18n': 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' } },
      define: { __INTLIFY_DROP_MESSAGE_COMPILER__: true, __INTLIFY_JIT_COMPILATION__: true },
    }),
    // Runs on the file as JavaScript (after TypeScript is stripped): plain data, so it is evaluated here.
    async transform(code, id) {
      if (!/\/renderer\/i18n\/(zh-CN|zh-CN\.more|en)\.ts$/.test(id)) return null;
      const { default: messages } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
      return { code: `export default ${JSON.stringify(compileTree(messages, id.split('/').pop()!))};`, map: null };
    },
  };
}

/** The espeak-ng data files that Mandarin read from pinyin needs (the package's data file holds every language). */
const ESPEAK_MANDARIN = ['phontab', 'phonindex', 'phondata', 'intonations', 'cmn_dict', 'lang/sit/cmn-Latn-pinyin'];

/**
 * `virtual:espeak-mandarin`: the URL of each of those files, cut out of the espeak-ng package's 24 MB data file
 * at build time (2.2 MB, hashed under /assets/), for the kiosk's name voice (renderer/lib/nameSynth.worker.ts).
 */
function espeakMandarinData(): Plugin {
  const id = 'virtual:espeak-mandarin';
  const files = () => {
    const js = createRequire(import.meta.url).resolve('@echogarden/espeak-ng-emscripten');
    const data = fs.readFileSync(js.replace(/espeak-ng\.js$/, 'espeak-ng.data'));
    // Emscripten's file packager lists each file's place in the data file in the script.
    const places = new Map(
      [...fs.readFileSync(js, 'utf8').matchAll(/\{filename:"\/usr\/share\/espeak-ng-data\/([^"]+)",start:(\d+),end:(\d+)\}/g)].map(
        ([, name, start, end]) => [name, data.subarray(Number(start), Number(end))],
      ),
    );
    return ESPEAK_MANDARIN.map((name) => {
      const bytes = places.get(name);
      if (!bytes?.length) throw new Error(`espeak-ng data: ${name} is not in the package (a new version lays its data out differently)`);
      return { name, bytes };
    });
  };
  let serving = false;
  return {
    name: 'natq:espeak-mandarin',
    configResolved: (config) => void (serving = config.command === 'serve'),
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(loaded) {
      if (loaded !== `\0${id}`) return null;
      const urls = files().map(({ name, bytes }) => {
        if (serving) return `${JSON.stringify(name)}: ${JSON.stringify(`/@espeak/${name}`)}`;
        const ref = this.emitFile({ type: 'asset', name: `espeak-${name.replace(/\W/g, '-')}.bin`, source: bytes });
        return `${JSON.stringify(name)}: import.meta.ROLLUP_FILE_URL_${ref}`;
      });
      return `export default { ${urls.join(', ')} };`;
    },
    // `vite` (dev): the same files from memory.
    configureServer(server) {
      server.middlewares.use('/@espeak/', (req, res, next) => {
        const file = files().find((f) => f.name === req.url?.slice(1));
        if (!file) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(file.bytes);
      });
    },
  };
}

// The renderer is one single-page app; every role's page is a route in it.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [
    vue(),
    precompiledMessages(),
    espeakMandarinData(),
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
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|html|svg|webmanifest|json|bin)$/, threshold: 512 }),
  ],
  define: {
    // vue-i18n: Composition API only, so the legacy API is left out of the bundle.
    __VUE_I18N_LEGACY_API__: false,
    // No <i18n-t>, <i18n-n>, <i18n-d> or v-t in any page: left out too.
    __VUE_I18N_FULL_INSTALL__: false,
    // Every component is <script setup>: Vue's Options API is left out too.
    __VUE_OPTIONS_API__: false,
  },
  // The name voice's worker bundles the espeak-ng module (an ES module with top-level await).
  worker: { format: 'es', plugins: () => [espeakMandarinData()] },
  resolve: {
    alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./renderer/lib/zodJitless.ts', import.meta.url)) }],
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
