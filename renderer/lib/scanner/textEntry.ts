// Which controls a person types into. A scanner burst landing there is theirs (the walk-in form,
// the search); one landing on a button, a radio, a checkbox or the point list is the scanner's.
const NOT_TYPED = new Set(['button', 'submit', 'reset', 'radio', 'checkbox', 'range', 'color', 'file', 'image']);

export function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) return !NOT_TYPED.has(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}
