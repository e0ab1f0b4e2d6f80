const MOBILE = /^1\d{10}$/;

/** Keeps digits (and a dash for landlines); strips spaces, +86 and the separators people type. */
export function normalizePhone(raw: string): string {
  // A mobile number written as it is stored (most rows) is left as it is.
  if (MOBILE.test(raw)) return raw;
  const phone = raw
    .trim()
    .replace(/^\+?86[\s-]?/, '')
    .replace(/[\s()（）]/g, '');
  // 138-1234-5678 is a mobile written in groups; a landline keeps its area-code dash.
  return /^1[\d-]+$/.test(phone) ? phone.replace(/-/g, '') : phone;
}

/** A mainland mobile number (11 digits starting with 1) or a landline with area code. */
export function isValidPhone(phone: string): boolean {
  return MOBILE.test(phone) || /^0\d{2,3}-?\d{7,8}$/.test(phone);
}
