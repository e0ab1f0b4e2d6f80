import crypto from 'node:crypto';
import path from 'node:path';
import { writePrivateFile } from '../dataDir/privateFiles';
import { PIN_ROLES, type Role } from '../../shared/roles';
import type { Store } from '../store/store';

// Each role that acts on the queue has a PIN. Only scrypt hashes are stored (in the settings,
// shared by all nodes). PINs made at first start are written once to a file for the operator.

function hashPin(pin: string, salt = crypto.randomBytes(16)): string {
  return `${salt.toString('base64url')}.${crypto.scryptSync(pin, salt, 32).toString('base64url')}`;
}

function pinMatches(pin: string, stored: string): boolean {
  const [salt, hash] = stored.split('.');
  const expected = Buffer.from(hash, 'base64url');
  const given = crypto.scryptSync(pin, Buffer.from(salt, 'base64url'), 32);
  return crypto.timingSafeEqual(expected, given);
}

export class Pins {
  private constructor(private readonly store: Store) {}

  /**
   * Sets PINs given by the operator, keeps stored ones, makes new ones for the rest.
   * A given PIN that differs from the stored one is a change: that role's tokens are revoked.
   * Returns the new PINs so the caller can hand them to the operator (never to the log),
   * and the roles whose PIN changed.
   */
  static async load(
    store: Store,
    given: Partial<Record<Role, string>>,
  ): Promise<{ pins: Pins; created: Partial<Record<Role, string>>; changed: Role[] }> {
    const created: Partial<Record<Role, string>> = {};
    const changed: Role[] = [];
    for (const role of PIN_ROLES) {
      const pin = given[role];
      if (pin !== undefined && !/^\d{4,8}$/.test(pin)) throw new Error(`the ${role} PIN must be 4–8 digits`);
      if (pin === undefined) {
        // Insert-if-absent: when several nodes start at once, the first one's wins.
        const value = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
        if (await store.write((tx) => tx.putSetting(`pin.${role}`, hashPin(value), false))) created[role] = value;
        continue;
      }
      // Several nodes started with the same PIN: only the first writes it.
      const stored = await store.read((tx) => tx.setting(`pin.${role}`));
      if (stored !== null && pinMatches(pin, stored)) continue;
      await store.write(async (tx) => {
        await tx.putSetting(`pin.${role}`, hashPin(pin), true);
        if (stored === null) return;
        await tx.tokens().bumpEpoch(role);
        await tx.audit(
          { role: 'operator', device: 'server start', action: 'pin:change', subject: role, detail: 'set from the environment' },
          new Date().toISOString(),
        );
      });
      if (stored !== null) changed.push(role);
    }
    return { pins: new Pins(store), created, changed };
  }

  /** Read from the database each time, so a PIN changed through any node counts everywhere. */
  async check(role: Role, pin: string): Promise<boolean> {
    const stored = await this.store.read((tx) => tx.setting(`pin.${role}`));
    return stored !== null && pinMatches(pin, stored);
  }

  /** Sets a role's PIN and revokes every token of that role, in one transaction; audited without the PIN. Returns the new epoch. */
  async change(role: Role, pin: string, actor: { role: string; device: string }): Promise<number> {
    return this.store.write(async (tx) => {
      await tx.putSetting(`pin.${role}`, hashPin(pin), true);
      const epoch = await tx.tokens().bumpEpoch(role);
      await tx.audit({ ...actor, action: 'pin:change', subject: role, detail: 'changed on the staff page' }, new Date().toISOString());
      return epoch;
    });
  }
}

/** Writes first-start PINs to a file only the operator can read (atomically: never half written), and returns its path. */
export function writePinFile(dataDir: string, created: Partial<Record<Role, string>>): string {
  const file = path.join(dataDir, 'access-pins.txt');
  const lines = Object.entries(created).map(([role, pin]) => `${role}: ${pin}`);
  writePrivateFile(file, `# nat-queue access PINs, made at first start. Keep this file private.\n${lines.join('\n')}\n`);
  return file;
}
