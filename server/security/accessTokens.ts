import crypto from 'node:crypto';
import type { LoginResponse } from '../../shared/api';
import { ROLES, type Role } from '../../shared/roles';
import type { Store } from '../store/store';
import { deriveKey } from './masterSecret';

/** One sampling day on a shared tablet; a page in use renews its token long before that. */
export const TOKEN_LIFETIME_MS = 16 * 3600_000;
/** A token is renewed once a quarter of its life has passed. */
export const RENEW_AFTER_MS = TOKEN_LIFETIME_MS / 4;

/** What a genuine, unexpired token says. */
export interface Access {
  role: Role;
  /** The role's epoch when the token was issued; a PIN change moves the epoch on. */
  epoch: number;
  /** The session: every renewal of one login keeps it, so one logout ends them all. */
  id: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Role tokens "role.epoch.issued.expiry.session.mac", HMAC-signed with a key every node derives from
 * the shared secret. The signature and expiry are checked without the database (`verify`); `check` also
 * refuses tokens of an older epoch (PIN changed) and of logged-out sessions, which all nodes share.
 */
export class AccessTokens {
  private readonly key: Buffer;

  constructor(
    master: Buffer,
    private readonly store: Store,
  ) {
    this.key = deriveKey(master, 'access token');
  }

  /** A fresh login: a new session in the role's current epoch. */
  async login(role: Role, now = Date.now()): Promise<LoginResponse> {
    const epoch = await this.epochOf(role);
    return this.response(
      this.sign({ role, epoch, id: crypto.randomBytes(16).toString('base64url'), issuedAt: now, expiresAt: now + TOKEN_LIFETIME_MS }),
      now,
    );
  }

  async epochOf(role: Role): Promise<number> {
    return this.store.read((tx) => tx.tokens().epoch(role));
  }

  /** The token's claims when it is genuine and unexpired (no database); null when forged, malformed or expired. */
  parse(token: unknown, now = Date.now()): Access | null {
    if (typeof token !== 'string' || token.length > 200) return null;
    const parts = token.split('.');
    if (parts.length !== 6) return null;
    const [role, epoch, issued, expiry, id, mac] = parts;
    if (!(ROLES as readonly string[]).includes(role)) return null;
    const expected = Buffer.from(this.mac(parts.slice(0, 5).join('.')));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
    const access: Access = {
      role: role as Role,
      epoch: Number(epoch),
      id,
      issuedAt: Number(issued) * 1000,
      expiresAt: Number(expiry) * 1000,
    };
    return access.expiresAt > now ? access : null;
  }

  /** The role a genuine, unexpired token grants (revocation is checked per request by `check`). */
  verify(token: unknown, now = Date.now()): Role | null {
    return this.parse(token, now)?.role ?? null;
  }

  /** The token's claims when it is still valid on every node: not expired, not logged out, no PIN change since. */
  async check(token: unknown, now = Date.now()): Promise<Access | null> {
    const access = this.parse(token, now);
    if (!access) return null;
    return (await this.store.read((tx) => tx.tokens().stillValid(access.role, access.epoch, access.id))) ? access : null;
  }

  /**
   * The token to use from now on: the same one while it is fresh, else a new one of the same session
   * with a full lifetime. Null when the token is no longer valid (the page must ask for the PIN).
   */
  async renew(token: string, now = Date.now()): Promise<LoginResponse | null> {
    const access = await this.check(token, now);
    if (!access) return null;
    if (now - access.issuedAt < RENEW_AFTER_MS) return this.response(token, now);
    return this.response(this.sign({ ...access, issuedAt: now, expiresAt: now + TOKEN_LIFETIME_MS }), now);
  }

  /** Ends a session on every node. Its row lasts as long as any token of it could (renewal stops now). */
  async logout(access: Access, now = Date.now()): Promise<void> {
    await this.store.write((tx) =>
      tx.tokens().revoke(access.id, new Date(now + TOKEN_LIFETIME_MS).toISOString(), new Date(now).toISOString()),
    );
  }

  private response(token: string, now: number): LoginResponse {
    const access = this.parse(token, now) as Access;
    return { token, role: access.role, expiresIn: access.expiresAt - now, renewIn: Math.max(0, access.issuedAt + RENEW_AFTER_MS - now) };
  }

  private sign(a: Access): string {
    const body = `${a.role}.${a.epoch}.${Math.floor(a.issuedAt / 1000)}.${Math.floor(a.expiresAt / 1000)}.${a.id}`;
    return `${body}.${this.mac(body)}`;
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
