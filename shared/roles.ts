export const ROLES = ['kiosk', 'volunteer', 'display', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** The display (and the resident turn page) is public and needs no PIN: it never gets personal data. */
export const PIN_ROLES: readonly Role[] = ['kiosk', 'volunteer', 'staff'];

/** Who makes a request: a role and, for the audit trail, which kiosk or tablet. */
export interface Actor {
  role: Role;
  device: string;
}
