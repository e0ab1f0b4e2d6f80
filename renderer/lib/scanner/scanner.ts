// A source of scanned codes other than the keyboard (the kiosk's camera). The page depends on
// this interface only; the library behind it stays in one file.

export interface Scanner {
  /** Starts reading; onCode is called for every code read, possibly the same one many times. */
  start(onCode: (text: string) => void): Promise<void>;
  stop(): Promise<void>;
}

/** The same code held in front of the camera is read many times a second: once per this long. */
export const REPEAT_QUIET_MS = 3000;

/** Passes each code on once, and again only after it has been out of sight for a while. */
export function dropRepeats(onCode: (text: string) => void, now: () => number = Date.now): (text: string) => void {
  const lastSeen = new Map<string, number>();
  return (text) => {
    const t = now();
    const last = lastSeen.get(text);
    lastSeen.set(text, t);
    if (last === undefined || t - last > REPEAT_QUIET_MS) onCode(text);
  };
}
