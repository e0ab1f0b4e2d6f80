import type { Kysely, Migration } from 'kysely';

// Logged-out sessions, kept until their tokens would have expired anyway (then purged), so a
// logout holds on every node sharing the database.
export function tokenRevocation(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('revoked_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('revoked_tokens_by_expiry').on('revoked_tokens').column('expires_at').execute();
    },
  };
}
