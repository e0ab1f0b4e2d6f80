// Pools (混管) in use: 1 (single tube), 5, 10 (default), 20.
export const POOL_SIZES = [1, 5, 10, 20] as const;
export type PoolSize = (typeof POOL_SIZES)[number];
export const DEFAULT_POOL_SIZE: PoolSize = 10;

export function isPoolSize(n: number): n is PoolSize {
  return (POOL_SIZES as readonly number[]).includes(n);
}

/** Where the next person goes, given the group that is filling (if any) at a sampling point. */
export function placeNext(
  forming: { size: number; poolSize: number } | null,
  pointPoolSize: number,
): { newGroup: boolean; position: number; poolSize: number; full: boolean } {
  if (forming && forming.size < forming.poolSize) {
    const position = forming.size + 1;
    return { newGroup: false, position, poolSize: forming.poolSize, full: position === forming.poolSize };
  }
  return { newGroup: true, position: 1, poolSize: pointPoolSize, full: pointPoolSize === 1 };
}

/** Group numbers are per sampling point: ... */
export function groupLabel(pointCode: string, seq: number): string {
  return `${pointCode}-${String(seq).padStart(3, '0')}`;
}
