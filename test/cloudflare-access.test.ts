import { generateKeyPair } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { accessConfig, roleForIdentity, verifyAccessToken } from '../src/security/cloudflare-access';
import { fakeAccessTeam } from './access-team';

afterEach(() => vi.restoreAllMocks());

const TEAM = 'https://acme.cloudflareaccess.com';
const AUD = 'aud-tag-0123';

const fakeTeam = () => fakeAccessTeam(TEAM, AUD);

describe('Cloudflare Access sign-in', () => {
  it('is off unless team domain and audience are configured', () => {
    expect(accessConfig({})).toBeNull();
    expect(accessConfig({ ACCESS_TEAM_DOMAIN: 'acme.cloudflareaccess.com', ACCESS_AUD: AUD, ACCESS_ROLES: '{"@acme.com":"user"}' })).toEqual({
      teamDomain: TEAM,
      audience: AUD,
      roles: { '@acme.com': 'user' },
    });
    expect(() => accessConfig({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD, ACCESS_ROLES: '{"@acme.com":"owner"}' })).toThrow(/ACCESS_ROLES/);
  });

  it('accepts a token signed by the team key for this application, fetching the team certs', async () => {
    const team = await fakeTeam();
    const config = accessConfig({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD })!;
    const identity = await verifyAccessToken(await team.sign({ email: 'alice@acme.com', groups: ['sfwa-admins'] }), config);
    expect(identity).toEqual({ email: 'alice@acme.com', groups: ['sfwa-admins'] });
    expect(team.certsRequests).toEqual([`${TEAM}/cdn-cgi/access/certs`]);
  });

  it.each([
    ['another audience', { audience: 'other-app' }],
    ['another issuer', { issuer: 'https://evil.cloudflareaccess.com' }],
    ['an expired token', { expiresIn: '-1m' }],
  ])('refuses %s', async (_, options) => {
    const team = await fakeTeam();
    const config = accessConfig({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD })!;
    expect(await verifyAccessToken(await team.sign({ email: 'alice@acme.com' }, options), config)).toBeNull();
  });

  it('refuses a token signed by another key, one without an email, and garbage', async () => {
    const team = await fakeTeam();
    const config = accessConfig({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD })!;
    const { privateKey: otherKey } = await generateKeyPair('RS256');
    expect(await verifyAccessToken(await team.sign({ email: 'alice@acme.com' }, { key: otherKey }), config)).toBeNull();
    expect(await verifyAccessToken(await team.sign({ sub: 'service-token' }), config)).toBeNull();
    expect(await verifyAccessToken('not.a.jwt', config)).toBeNull();
    expect(await verifyAccessToken(undefined, config)).toBeNull();
  });

  it('maps emails, email domains and groups to the highest matching role', () => {
    const roles = { 'alice@acme.com': 'superadmin', '@acme.com': 'user', 'group:sfwa-admins': 'admin' } as const;
    expect(roleForIdentity({ email: 'Alice@Acme.com', groups: [] }, roles)).toBe('superadmin');
    expect(roleForIdentity({ email: 'bob@acme.com', groups: [] }, roles)).toBe('user');
    expect(roleForIdentity({ email: 'bob@acme.com', groups: ['sfwa-admins'] }, roles)).toBe('admin');
    expect(roleForIdentity({ email: 'eve@other.com', groups: [] }, roles)).toBeNull();
  });
});
