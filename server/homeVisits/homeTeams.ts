// Staff create home-sampling teams and (re)issue their links; every change is audited. Writes go
// through the write pipeline like every other feature's (no key: the name makes a retry harmless).
import type { HomeTeam } from '../../shared/homeTeams';
import { ActionError } from '../queue/actionError';
import type { Actor } from '../../shared/roles';
import type { Store } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';
import type { TeamAccess } from './teamAccess';
import type { HomeTeamRow } from '../store/teamStore';

export class HomeTeams {
  constructor(
    private readonly store: Store,
    private readonly pipeline: WritePipeline,
    private readonly access: TeamAccess,
  ) {}

  private view(row: HomeTeamRow): HomeTeam {
    return { name: row.name, issuedAt: row.issued_at, credential: this.access.issue(row) };
  }

  /** Every team, each with a fresh link of its current generation. */
  async list(): Promise<HomeTeam[]> {
    return (await this.store.read((tx) => tx.teams().all())).map((r) => this.view(r));
  }

  async create(actor: Actor, name: string): Promise<HomeTeam> {
    return this.view(
      await this.pipeline.run('team:create', null, null, async (tx) => {
        const at = this.pipeline.now().toISOString();
        const row = await tx.teams().insert(name, at);
        if (!row) throw new ActionError('team.exists', { team: name });
        await tx.audit({ ...actor, action: 'team:create', subject: name, detail: 'link issued' }, at);
        return { reply: row };
      }),
    );
  }

  /** A new link for the team; the earlier ones stop working at once, on every node. */
  async reissue(actor: Actor, name: string): Promise<HomeTeam> {
    return this.view(
      await this.pipeline.run('team:reissue', null, null, async (tx) => {
        const at = this.pipeline.now().toISOString();
        const row = await tx.teams().reissue(name, at);
        if (!row) throw new ActionError('team.not-found', { team: name });
        await tx.audit(
          { ...actor, action: 'team:reissue', subject: name, detail: `link generation ${row.generation}; earlier links revoked` },
          at,
        );
        return { reply: row };
      }),
    );
  }

  /** Visits are handed to teams that exist (so their tablets can sign in), or back to nobody. */
  async requireTeam(name: string | null): Promise<void> {
    if (name !== null && !(await this.store.read((tx) => tx.teams().byName(name)))) {
      throw new ActionError('team.not-found', { team: name });
    }
  }
}
