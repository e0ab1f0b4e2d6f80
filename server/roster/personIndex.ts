// The people of a roster file being checked, by person key, each with a number (their place among
// those accepted): to find a person entered twice in a district's million rows. A resident ID (almost
// every row) is held as one number in typed arrays outside the garbage-collected heap, a few bytes a
// person instead of a string and a Map entry; any other key in a Map. Their names (to report a later
// copy) are held a few thousand to a string.

import { digitsAt } from '../../shared/idNumber';

const DAY_MS = 86_400_000;
/** Days are counted from 1800-01-01 (a birth date a resident ID may hold), so they are positive. */
const DAY_ZERO = Date.UTC(1800, 0, 1) / DAY_MS;

/**
 * A checked resident ID as one whole number: region, birth date, sequence (48 bits). The check
 * character is left out: of a valid number it follows from the rest, so two valid IDs never share one.
 */
function residentIdCode(key: string): number | null {
  if (key.length !== 18) return null;
  if (!(digitsAt(key, 17, 18) >= 0 || key[17] === 'X')) return null;
  const region = digitsAt(key, 0, 6);
  const year = digitsAt(key, 6, 10);
  const month = digitsAt(key, 10, 12);
  const day = digitsAt(key, 12, 14);
  const sequence = digitsAt(key, 14, 17);
  if (region < 0 || year < 0 || sequence < 0) return null;
  const time = Date.UTC(year, month - 1, day);
  // A date that does not exist (month 13) would share its number with a real one: such a key stays a string.
  // (A month or day not written in digits is -1.)
  if (month < 1 || month > 12 || day < 1 || time >= Date.UTC(year, month, 1)) return null;
  const days = time / DAY_MS - DAY_ZERO;
  if (!(days >= 0 && days < 2 ** 18)) return null;
  return (region * 2 ** 18 + days) * 1024 + sequence;
}

export class PersonIndex {
  private codes = new Float64Array(1 << 16);
  private values = new Int32Array(1 << 16);
  private used = 0;
  private readonly others = new Map<string, number>();

  get size(): number {
    return this.used + this.others.size;
  }

  get(key: string): number | undefined {
    const code = residentIdCode(key);
    if (code === null) return this.others.get(key);
    const slot = this.slotOf(code);
    return this.codes[slot] === code ? this.values[slot] : undefined;
  }

  /** The value held for `key`; undefined when there was none, and `value` is held for it now. */
  getOrAdd(key: string, value: number): number | undefined {
    const code = residentIdCode(key);
    if (code === null) {
      const held = this.others.get(key);
      if (held === undefined) this.others.set(key, value);
      return held;
    }
    if (2 * (this.used + 1) > this.codes.length) this.grow();
    const slot = this.slotOf(code);
    if (this.codes[slot] === code) return this.values[slot];
    this.used++;
    this.codes[slot] = code;
    this.values[slot] = value;
    return undefined;
  }

  /** The slot holding `code`, or the empty one where it would go (codes are never 0: no region is 000000). */
  private slotOf(code: number): number {
    const mask = this.codes.length - 1;
    let slot = Math.imul((code % 2 ** 24) ^ Math.floor(code / 2 ** 24), 0x9e3779b1) >>> 0;
    for (slot &= mask; this.codes[slot] !== 0 && this.codes[slot] !== code; slot = (slot + 1) & mask);
    return slot;
  }

  private grow(): void {
    const [codes, values] = [this.codes, this.values];
    this.codes = new Float64Array(codes.length * 2);
    this.values = new Int32Array(codes.length * 2);
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] === 0) continue;
      const slot = this.slotOf(codes[i]);
      this.codes[slot] = codes[i];
      this.values[slot] = values[i];
    }
  }
}

/** Names by number, a few thousand joined in one string: a million short strings would cost five times more. */
export class NameList {
  private static readonly CHUNK = 4096;
  private readonly chunks: string[] = [];
  private current: string[] = [];

  push(name: string): void {
    this.current.push(name);
    if (this.current.length === NameList.CHUNK) {
      this.chunks.push(this.current.join('\u0000'));
      this.current = [];
    }
  }

  /** Read only for a person found again: rare, so splitting a chunk then is cheap enough. */
  get(i: number): string {
    const chunk = Math.floor(i / NameList.CHUNK);
    const names = chunk < this.chunks.length ? this.chunks[chunk].split('\u0000') : this.current;
    return names[i % NameList.CHUNK];
  }
}
