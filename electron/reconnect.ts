// Reaching the server from the kiosk shell: a health probe and the backoff between tries.

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15_000;

/** 1 s, 2 s, 4 s, 8 s, then every 15 s: quick after a blip, gentle during a long outage. */
export function backoffDelay(attempt: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt));
}

/** Whether the server answers its health check within the timeout. */
export async function serverReachable(baseUrl: string, timeoutMs = 3000, fetchImpl: typeof fetch = fetch): Promise<boolean> {
  try {
    const res = await fetchImpl(new URL('/api/health', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}
