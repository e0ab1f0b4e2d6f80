// Storage of the home-sampling teams inside one transaction; reached from any StoreTx through tx.teams().
import type { Selectable, Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { HomeTeamsTable } from '../db/teamTables';

export type HomeTeamRow = Selectable<HomeTeamsTable>;

export class TeamsTx {
  constructor(private readonly tx: Kysely<Database>) {}

  async all(): Promise<HomeTeamRow[]> {
    return this.tx.selectFrom('home_teams').selectAll().orderBy('name').execute();
  }

  async byId(id: number): Promise<HomeTeamRow | null> {
    return (await this.tx.selectFrom('home_teams').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async byName(name: string): Promise<HomeTeamRow | null> {
    return (await this.tx.selectFrom('home_teams').selectAll().where('name', '=', name).executeTakeFirst()) ?? null;
  }

  /** A new team at generation 1; null when the name is taken. */
  async insert(name: string, at: string): Promise<HomeTeamRow | null> {
    return (
      (await this.tx
        .insertInto('home_teams')
        .values({ name, generation: 1, created_at: at, issued_at: at })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll()
        .executeTakeFirst()) ?? null
    );
  }

  /** The next generation of the team's link: every earlier one is refused from now on. */
  async reissue(name: string, at: string): Promise<HomeTeamRow | null> {
    return (
      (await this.tx
        .updateTable('home_teams')
        .set((eb) => ({ generation: eb('generation', '+', 1), issued_at: at }))
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst()) ?? null
    );
  }
}
