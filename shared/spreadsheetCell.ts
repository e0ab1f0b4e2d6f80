// Exported cells are opened in Excel/WPS by staff: a cell that starts like a formula must stay text.

/** Characters that make a spreadsheet treat a cell as a formula (CSV injection, OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as plain text: a leading apostrophe when it would otherwise start a formula. */
export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field (RFC 4180): formula-safe, quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  const safe = safeCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV file as Excel opens it correctly: UTF-8 with a byte-order mark, CRLF line ends. */
export function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
