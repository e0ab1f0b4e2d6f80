// How a home-sampling team's tablet signs in: with the credential of the link staff handed out,
// "team.<id>.<generation>.<expiry>.<mac>", signed like the access tokens (HMAC under a key derived
// from the master secret, so every node checks it) and checked against the team's current
// generation in the database, so a reissued link revokes every earlier one at once.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { accessOf } from '../http/routeGuard';
import { ActionError } from '../queue/actionError';
import type { AccessTokens } from '../security/accessTokens';
import { deriveKey } from '../security/masterSecret';
import type { Store, StoreTx } from '../store/store';
import type { HomeActor } from './teamScope';
import type { HomeTeamRow } from '../store/teamStore';

/** Days a link works unless reissued first: a sealed building's visits rarely run longer; staff reissue then. */
export const TEAM_LINK_DAYS = 30;
const PREFIX = 'team';

export class TeamAccess {
  private readonly key: Buffer;

  constructor(
    master: Buffer,
    private readonly store: Store,
  ) {
    this.key = deriveKey(master, 'home team link');
  }

  /** A credential for the team's current generation. */
  issue(team: Pick<HomeTeamRow, 'id' | 'generation'>, now = Date.now()): string {
    const body = `${PREFIX}.${team.id}.${team.generation}.${Math.floor(now / 1000) + TEAM_LINK_DAYS * 86400}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The team a credential signs in, or null when it is forged, malformed, expired or reissued since. */
  async verify(credential: unknown, now = Date.now()): Promise<string | null> {
    if (typeof credential !== 'string' || credential.length > 200) return null;
    const parts = credential.split('.');
    if (parts.length !== 5 || parts[0] !== PREFIX || !parts.slice(1, 4).every((p) => /^\d{1,12}$/.test(p))) return null;
    const expected = Buffer.from(this.mac(parts.slice(0, 4).join('.')));
    const given = Buffer.from(parts[4]);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
    if (Number(parts[3]) * 1000 <= now) return null;
    const team = await this.store.read((tx: StoreTx) => tx.teams().byId(Number(parts[1])));
    return team && team.generation === Number(parts[2]) ? team.name : null;
  }

  /**
   * The caller of a home-visit route: a role the route's entry allows (staff) with its access token, or
   * a team with its link. Any other role (the shared volunteer PIN) is refused: a list needs the team's own link.
   */
  async actorOf(req: FastifyRequest, tokens: AccessTokens): Promise<HomeActor> {
    const header = req.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const role = tokens.verify(bearer);
    if (role && accessOf(req).includes(role)) return { role, device: req.ip, team: null };
    if (role) throw new ActionError('team.pin-not-link');
    const team = await this.verify(bearer);
    if (!team) throw new ActionError('team.link-invalid');
    return { role: 'volunteer', device: `${req.ip} team ${team}`, team };
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
