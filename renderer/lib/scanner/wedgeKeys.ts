// The ASCII character a keydown stands for, read so that a Chinese input method cannot garble it:
// while an IME is on, key is "Process" (keyCode 229) or a full-width form, but code still names
// the physical key, and scanners only ever "press" US-layout keys.

export interface KeyLike {
  key: string;
  code: string;
  shiftKey: boolean;
  /** Caps Lock state, from getModifierState('CapsLock'). */
  capsLock?: boolean;
}

const SHIFTED_DIGITS = ')!@#$%^&*(';
const PUNCTUATION: Record<string, [string, string]> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Backquote: ['`', '~'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Space: [' ', ' '],
  NumpadSubtract: ['-', '-'],
  NumpadAdd: ['+', '+'],
  NumpadDecimal: ['.', '.'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
};

const isPrintableAscii = (s: string) => s.length === 1 && s >= ' ' && s <= '~';

/** Full-width forms (：Ａ１) back to ASCII. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** The character typed, or null for a key that types nothing (Shift, arrows, F-keys…). */
export function keyChar(e: KeyLike): string | null {
  const key = toHalfWidth(e.key);
  // An ordinary key press: trust the layout's own character.
  if (isPrintableAscii(key)) return key;
  const letter = /^Key([A-Z])$/.exec(e.code);
  if (letter) return e.shiftKey !== Boolean(e.capsLock) ? letter[1] : letter[1].toLowerCase();
  const digit = /^(Digit|Numpad)([0-9])$/.exec(e.code);
  if (digit) return digit[1] === 'Digit' && e.shiftKey ? SHIFTED_DIGITS[Number(digit[2])] : digit[2];
  const punctuation = PUNCTUATION[e.code];
  return punctuation ? punctuation[e.shiftKey ? 1 : 0] : null;
}

/** Pasted or dropped text, reduced to what a code or ID number can contain. */
export function asciiOnly(text: string): string {
  return Array.from(toHalfWidth(text)).filter(isPrintableAscii).join('');
}
