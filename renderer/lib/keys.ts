// Idempotency keys: one per user action, so a retried request is applied once.

/** crypto.randomUUID only exists in secure contexts; kiosks often reach the server over plain http on the LAN. */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
