import crypto from 'node:crypto';
import { ROLES, type Role } from '../../shared/roles';
import { deriveKey } from './masterSecret';

const TOKEN_DAYS = 30;

/** Stateless role tokens "role.expiry.mac": any node with the shared secret can check them. */
export class AccessTokens {
  private readonly key: Buffer;

  constructor(master: Buffer) {
    this.key = deriveKey(master, 'access token');
  }

  issue(role: Role, now = Date.now()): string {
    const body = `${role}.${Math.floor(now / 1000) + TOKEN_DAYS * 86400}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The role a token grants, or null when it is forged, malformed or expired. */
  verify(token: unknown, now = Date.now()): Role | null {
    if (typeof token !== 'string' || token.length > 200) return null;
    const [role, expiry, mac] = token.split('.');
    if (!mac || !(ROLES as readonly string[]).includes(role)) return null;
    const expected = Buffer.from(this.mac(`${role}.${expiry}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
    return Number(expiry) * 1000 > now ? (role as Role) : null;
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
