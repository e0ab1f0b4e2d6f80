/// <reference lib="webworker" />
// The service worker: the pages load from cache when the site's Wi-Fi drops. Small on purpose:
// only the app shell is precached (a resident's phone does not download the staff pages); every
// other hashed file is cached the first time a page uses it. Built by vite-plugin-pwa (injectManifest).
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly, StaleWhileRevalidate } from 'workbox-strategies';
import { ASSETS_CACHE, ASSETS_KEPT, NAVIGATION_TIMEOUT_S, VOICE_CACHE } from './lib/offlineCache';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

// A new version takes over at once; the pages reload on controllerchange (main.ts).
void self.skipWaiting();
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every page is the one index.html: from the network while it answers, so a new version shows
// at once; the precached copy when the server cannot be reached.
const fromNetwork = new NetworkOnly({ networkTimeoutSeconds: NAVIGATION_TIMEOUT_S });
registerRoute(
  new NavigationRoute(
    async (options) => {
      try {
        return await fromNetwork.handle(options);
      } catch {
        return (await matchPrecache('index.html')) ?? Response.error();
      }
    },
    { denylist: [/^\/api\//, /^\/socket\.io\//] },
  ),
);

registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
  new CacheFirst({ cacheName: ASSETS_CACHE, plugins: [new ExpirationPlugin({ maxEntries: ASSETS_KEPT })] }),
);
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/voice/'),
  new StaleWhileRevalidate({ cacheName: VOICE_CACHE }),
);
