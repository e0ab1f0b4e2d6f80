// The order groups at a point are called in, written once: green-channel (绿色通道) groups first, then
// by arrival. As data, so the store's ORDER BY and the pages' sort are the same rule. The display is
// not told which groups are green channel: for it the order is arrival alone, as the hall then sees it.
export const CALL_ORDER = [
  { key: 'priority', desc: true },
  { key: 'id', desc: false },
] as const;

/** A group row (priority 0/1) or a group view (priority true/false, absent on the display). */
export interface Ordered {
  id: number;
  priority?: boolean | number | null;
}

/** Sorts groups into call order (the first one is called next). */
export function callOrder(a: Ordered, b: Ordered): number {
  for (const { key, desc } of CALL_ORDER) {
    const d = Number(a[key] ?? 0) - Number(b[key] ?? 0);
    if (d !== 0) return desc ? -d : d;
  }
  return 0;
}
