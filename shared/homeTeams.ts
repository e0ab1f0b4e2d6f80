// Home-sampling teams and how their tablets sign in: staff create a team on the coverage page and
// hand its link (or QR) to the team; the link carries the team's own signed credential, so a
// tablet opened with it sees that team's list and nothing else. Reissuing a link revokes the old one.
import { z } from 'zod';

export const HOME_TEAMS_API = {
  /** GET: every team with a fresh link (staff); POST TeamRequest: creates a team (staff). */
  teams: '/api/home-teams',
  /** POST TeamRequest: a new link for the team; its earlier links stop working (staff). */
  reissue: '/api/home-teams/reissue',
  /** GET with a team link's credential: which team this tablet is signed in as. */
  me: '/api/home-teams/me',
} as const;

/** What follows `#` on a team link: kept out of requests, server logs and referrers. */
const LINK_FRAGMENT = 'team=';

/** The page a team's tablet opens: the home-visit page, signed in by the fragment. */
export function teamLinkPath(credential: string): string {
  return `/home-visits#${LINK_FRAGMENT}${encodeURIComponent(credential)}`;
}

/** The credential a link's fragment (`location.hash`) carries, or null (none, or mangled in copying). */
export function credentialOfLink(hash: string): string | null {
  const text = hash.replace(/^#/, '');
  if (!text.startsWith(LINK_FRAGMENT) || text.length === LINK_FRAGMENT.length) return null;
  try {
    return decodeURIComponent(text.slice(LINK_FRAGMENT.length));
  } catch {
    return null;
  }
}

export const TeamName = z
  .string()
  .trim()
  .min(1, 'name the team')
  .max(30)
  .refine((s) => !/[\p{Cc}]/u.test(s), 'a team name holds no control characters');

export const TeamRequest = z.strictObject({ name: TeamName });
export type TeamRequest = z.infer<typeof TeamRequest>;

export interface HomeTeam {
  name: string;
  /** When its current link was issued (created or reissued): earlier links no longer work. */
  issuedAt: string;
  /** The credential of its link (see teamLinkPath). */
  credential: string;
}

export interface TeamSession {
  team: string;
}
