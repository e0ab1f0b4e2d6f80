// Installs the service worker (renderer/sw.ts) where the browser allows one: a secure context
// (HTTPS, or localhost). On plain http over the LAN the pages work as before, without the cache.
import { ASSETS_CACHE } from './offlineCache';

/** How often a page that never navigates (the hall TV) asks whether a new version was deployed. */
const UPDATE_CHECK_MS = 15 * 60_000;

export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const sw = navigator.serviceWorker;
  // A page that was already controlled and gets a new worker is running an old version: reload into the new one.
  let controlled = sw.controller !== null;
  sw.addEventListener('controllerchange', () => {
    if (controlled) window.location.reload();
    controlled = true;
  });
  const registration = await sw.register('/sw.js', { scope: '/', updateViaCache: 'none' });
  setInterval(() => void registration.update().catch(() => {}), UPDATE_CHECK_MS);
  window.addEventListener('online', () => void registration.update().catch(() => {}));
  await sw.ready;
  // The files this page loaded before the worker controlled it are not in its cache yet: put them
  // there (from the browser's HTTP cache: no second download), so the next load works offline.
  const loaded = performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
    .map((u) => u.pathname);
  const cache = await caches.open(ASSETS_CACHE);
  await Promise.all(loaded.map(async (path) => (await cache.match(path)) ?? cache.add(path)));
}
