import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { accessConfig, roleForIdentity, verifyAccessToken } from '../src/security/cloudflare-access';

afterEach(() => vi.restoreAllMocks());

const TEAM = 'https://acme.cloudflareaccess.com';
const AUD = 'aud-tag-0123';

/** A fake Access team: its signing key, its certs endpoint at the fetch boundary, and a token maker. */
async function fakeAccessTeam(team = TEAM) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const certsRequests: string[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new Request(input, init).url;
    if (url !== `${team}/cdn-cgi/access/certs`) return realFetch(input, init);
    certsRequests.push(url);
    return Response.json({ keys: [jwk] });
  });
  const sign = (claims: Record<string, unknown>, options: { audience?: string; issuer?: string; expiresIn?: string; key?: CryptoKey; kid?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
      .setAudience(options.audience ?? AUD)
      .setIssuer(options.issuer ?? team)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? privateKey);
  return { sign, certsRequests };
}

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
    const team = await fakeAccessTeam();
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
    const team = await fakeAccessTeam();
    const config = accessConfig({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD })!;
    expect(await verifyAccessToken(await team.sign({ email: 'alice@acme.com' }, options), config)).toBeNull();
  });

  it('refuses a token signed by another key, one without an email, and garbage', async () => {
    const team = await fakeAccessTeam();
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
