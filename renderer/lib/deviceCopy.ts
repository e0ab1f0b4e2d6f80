// The last data a page got, kept on the device so a reload while the server is away (the page itself
// comes from the service worker's cache) still shows it, marked with the time it was last live.
// Each page keeps only what it already shows (the turn page: its group's public progress; a team's
// tablet: its own visit list, dropped when it signs out or its link is refused).

export interface DeviceCopy<T> {
  /** When this data was last known to be current (ms since epoch). */
  liveAt: number;
  data: T;
}

/** The copy under `key` when `fits` accepts its data (the same group, the same team). */
export function loadCopy<T>(key: string, fits: (data: T) => boolean): DeviceCopy<T> | null {
  try {
    const copy = JSON.parse(localStorage.getItem(key) ?? 'null') as DeviceCopy<T> | null;
    return copy && typeof copy.liveAt === 'number' && copy.data != null && fits(copy.data) ? copy : null;
  } catch {
    return null;
  }
}

export function saveCopy<T>(key: string, data: T, liveAt = Date.now()): void {
  try {
    localStorage.setItem(key, JSON.stringify({ liveAt, data } satisfies DeviceCopy<T>));
  } catch {
    // Storage full or refused: the page works as before, without a copy for the next reload.
  }
}

export function dropCopy(key: string): void {
  localStorage.removeItem(key);
}
