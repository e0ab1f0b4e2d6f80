// Telling a keyboard-wedge scanner from a person at the keyboard, by rhythm alone: a scanner
// types a whole code in one burst (under 10 ms a key), people leave 30 ms or more between most keys.

export type InputVia = 'scanner' | 'typed';

/** A gap at most this long is machine speed. */
export const SCANNER_MAX_GAP_MS = 30;
/** Codes and ID numbers are far longer; a few fast keys are a typist's flourish, not a scan. */
export const MIN_SCAN_KEYS = 6;

/** Classifies the keydown times (ms) of one entry, up to but not including its Enter. */
export function classifyBurst(times: readonly number[]): InputVia {
  if (times.length < MIN_SCAN_KEYS) return 'typed';
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i])
    .sort((a, b) => a - b);
  // The median, not the mean: a busy computer or a USB hiccup stalls a few keys of a real scan,
  // while even a fast typist spends most gaps well above machine speed.
  return gaps[Math.floor(gaps.length / 2)] <= SCANNER_MAX_GAP_MS ? 'scanner' : 'typed';
}
