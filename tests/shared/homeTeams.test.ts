import { describe, expect, it } from 'vitest';
import { credentialOfLink, teamLinkPath, TeamName } from '../../shared/homeTeams';

describe('team links', () => {
  it('carries the credential in the fragment, so it never reaches a request or a server log', () => {
    const path = teamLinkPath('team.3.2.1798708824.KSUycg90655_-x');
    expect(path).toBe('/home-visits#team=team.3.2.1798708824.KSUycg90655_-x');
    expect(credentialOfLink(new URL(`http://site${path}`).hash)).toBe('team.3.2.1798708824.KSUycg90655_-x');
  });

  it('reads nothing from a fragment without a credential, or one mangled in copying', () => {
    for (const hash of ['', '#', '#team=', '#other=x', '#team=%E0%A4%A']) expect(credentialOfLink(hash), hash).toBeNull();
  });

  it('takes a team name of 1–30 characters without control characters', () => {
    expect(TeamName.parse(' 一队 ')).toBe('一队');
    for (const bad of ['', ' ', 'x'.repeat(31), '一\u0000队']) expect(TeamName.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
