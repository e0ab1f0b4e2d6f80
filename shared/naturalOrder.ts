// How people read building, unit and room numbers: 2 before 10 (a plain string sort puts "10" first).
const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' });

/** Compares two labels the way a person orders them: numbers by value, then text. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}
