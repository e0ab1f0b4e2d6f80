// Exported cells are opened in Excel/WPS by staff: a cell that starts like a formula must stay text,
// and a long number (an ID number, a phone) must stay all its digits.

/**
 * Characters that make a spreadsheet treat a cell as a formula (CSV injection, OWASP), with their
 * full-width forms (＝ ＋ － ＠): a Chinese IME types those, and Excel and WPS read them as = + - @.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Digit strings Excel would turn into a number and mangle: 12+ digits (1.30105E+17), or a leading zero. */
const MANGLED_NUMBER = /^(\d{12,}|0\d+)$/;

/** The cell as plain text: a leading apostrophe when it would otherwise start a formula. */
export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A cell as written to a CSV file, before quoting: formula-safe, and a long number gets a leading
 * tab: Excel then keeps it as text with every digit, a tab starts no formula, and a re-import (cells
 * are trimmed) reads the number back unchanged. The CSV writer (server/exports/csvFile.ts) casts every cell with it.
 */
export function csvCell(value: string): string {
  return MANGLED_NUMBER.test(value) ? `\t${value}` : safeCell(value);
}
