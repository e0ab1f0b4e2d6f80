// Times as the people at the sampling point read them.

/** "10:31" (or "10:31:05") from an ISO timestamp or Date, in the page's language. */
export function clockTime(at: string | Date, locale: string, seconds = false): string {
  return new Date(at).toLocaleTimeString(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    hour12: false,
  });
}
