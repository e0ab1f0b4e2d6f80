// Storage of access-token revocation inside one transaction: each role's epoch (in the settings) and
// the sessions logged out before their tokens expire (revoked_tokens, migration 0010).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Role } from '../../shared/roles';

const epochKey = (role: Role) => `tokens.epoch.${role}`;

export class TokenTx {
  constructor(private readonly tx: Kysely<Database>) {}

  /** A role's epoch: tokens carry the one they were issued in; bumping it refuses all older ones. */
  async epoch(role: Role): Promise<number> {
    const row = await this.tx.selectFrom('settings').select('value').where('key', '=', epochKey(role)).executeTakeFirst();
    return row ? Number(row.value) : 0;
  }

  /** Revokes every token of the role issued so far; returns the new epoch. */
  async bumpEpoch(role: Role): Promise<number> {
    const next = (await this.epoch(role)) + 1;
    await this.tx
      .insertInto('settings')
      .values({ key: epochKey(role), value: String(next) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(next) }))
      .execute();
    return next;
  }

  /** Whether a token of this role, epoch and session still counts: one statement, as every request with a token asks. */
  async stillValid(role: Role, epoch: number, id: string): Promise<boolean> {
    const row = await this.tx
      .selectNoFrom((eb) => [
        eb.selectFrom('settings').select('value').where('key', '=', epochKey(role)).as('epoch'),
        eb.exists(eb.selectFrom('revoked_tokens').select('id').where('id', '=', id)).as('revoked'),
      ])
      .executeTakeFirstOrThrow();
    return Number(row.epoch ?? 0) === epoch && !Number(row.revoked);
  }

  /** Records a logged-out session and drops the rows of sessions that have expired anyway. */
  async revoke(id: string, expiresAt: string, now: string): Promise<void> {
    await this.tx.deleteFrom('revoked_tokens').where('expires_at', '<', now).execute();
    await this.tx
      .insertInto('revoked_tokens')
      .values({ id, expires_at: expiresAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}
