/** Which characters of a name a public screen keeps: the first, and the last of a name of three or more. */
function keptPlaces(length: number): number[] {
  if (length <= 1) return [];
  return length === 2 ? [0] : [0, length - 1];
}

/** Masks a name for public screens: 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  const kept = keptPlaces(chars.length);
  return chars.map((c, i) => (kept.includes(i) ? c : '*')).join('');
}

/**
 * What may be said of a name aloud, where anyone near can hear it: the characters its masked form
 * shows (张三丰 → 张丰, 张三 → 张), never the hidden ones.
 */
export function maskedNameShown(name: string): string {
  const chars = Array.from(name.trim());
  return keptPlaces(chars.length)
    .map((i) => chars[i])
    .join('');
}
