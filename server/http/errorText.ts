// Error bodies stay short and never repeat what the client sent: a validation error over a huge body
// once listed every byte of it. A refusal names the fields at fault (paths, never values); the pages word it.
import type { ZodError } from 'zod';

const MAX_FIELDS = 5;
const MAX_FIELD_CHARS = 60;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The paths of the first few issues, each cut short ("body" for the whole), and how many more there were. */
export function zodFields(err: ZodError, whole = 'body'): string {
  const paths = [...new Set(err.issues.map((i) => clip(i.path.join('.') || whole, MAX_FIELD_CHARS)))];
  const shown = paths.slice(0, MAX_FIELDS);
  return shown.join(', ') + (paths.length > shown.length ? ` +${paths.length - shown.length}` : '');
}
