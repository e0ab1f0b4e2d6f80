// What the server says about the site (GET /api/site): its time zone, in which every page shows
// dates and times whatever the device's own zone, and whether it is a demo. The last answer is kept
// on the device, so a page reloaded while the server is away still shows site times.
import { ref } from 'vue';
import type { SiteInfo } from '../../shared/api';
import { API } from '../../shared/apiPaths';
import { DEFAULT_SITE_TZ, isTimeZone } from '../../shared/siteDate';
import { request } from './http';

const KEY = 'nat-queue.site';

function saved(): SiteInfo | null {
  try {
    const info = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<SiteInfo> | null;
    return info && typeof info.timeZone === 'string' && isTimeZone(info.timeZone)
      ? { timeZone: info.timeZone, demo: info.demo === true }
      : null;
  } catch {
    return null;
  }
}

const known = saved();
/** The site's IANA zone; read by the format helpers, so a page re-renders its times when it arrives. */
export const siteTimeZone = ref(known?.timeZone ?? DEFAULT_SITE_TZ);
/** A demo server: every page carries a "demo data" mark. */
export const demoSite = ref(known?.demo ?? false);

/** Asks the server once at start; without an answer the last known (or the default) zone stays. */
export async function loadSiteInfo(): Promise<void> {
  const info = await request<SiteInfo>(API.site);
  if (!isTimeZone(info.timeZone)) return;
  siteTimeZone.value = info.timeZone;
  demoSite.value = info.demo === true;
  try {
    localStorage.setItem(KEY, JSON.stringify({ timeZone: info.timeZone, demo: demoSite.value }));
  } catch {
    // Storage refused: the zone is asked for again at the next load.
  }
}
