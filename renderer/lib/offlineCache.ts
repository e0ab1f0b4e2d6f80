// Names shared by the service worker (renderer/sw.ts) and the pages: the Cache Storage caches it fills.

/** Hashed build files (/assets/…): never change under a name, so cached first and kept. */
export const ASSETS_CACHE = 'natq-assets';
/** Spoken call clips (/voice/…): not hashed, so served from cache and refreshed behind. */
export const VOICE_CACHE = 'natq-voice';
/** How many hashed files are kept: the pages of a few versions; the oldest go first. */
export const ASSETS_KEPT = 300;
/** A navigation that has had no answer for this long is served the cached page (Wi-Fi that hangs rather than fails). */
export const NAVIGATION_TIMEOUT_S = 4;
