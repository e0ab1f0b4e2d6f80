// Error bodies stay short and never repeat what the client sent: a validation error over a huge body
// once listed every byte of it.
import type { ZodError } from 'zod';

const MAX_ISSUES = 5;
const MAX_ISSUE_CHARS = 120;
export const MAX_MESSAGE_CHARS = 200;

export function clip(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The first few issues, each cut short, and how many more there were. */
export function zodMessage(err: ZodError, whole = 'body'): string {
  const shown = err.issues.slice(0, MAX_ISSUES).map((i) => clip(`${i.path.join('.') || whole}: ${i.message}`, MAX_ISSUE_CHARS));
  const more = err.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
