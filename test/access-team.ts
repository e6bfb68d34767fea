/** A fake Cloudflare Access team for tests: its signing key, its certs endpoint faked at the fetch boundary, and a token maker. */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { fakeEndpoint } from './support';

export const TEST_ACCESS = { team: 'https://sfwa-test.cloudflareaccess.com', aud: 'sfwa-test-aud' };

// One key per team for the whole test file: the Worker caches a team's keys (as it should), so a new key
// per test would look like a rotation inside jose's refetch cool-down.
const teamKeys = new Map<string, Promise<{ privateKey: CryptoKey; jwk: Record<string, unknown> & { kid: string } }>>();
const keysOf = (team: string) => {
  let keys = teamKeys.get(team);
  if (!keys) {
    keys = generateKeyPair('RS256').then(async ({ publicKey, privateKey }) => ({
      privateKey,
      jwk: { ...(await exportJWK(publicKey)), kid: `key-${crypto.randomUUID()}`, alg: 'RS256', use: 'sig' },
    }));
    teamKeys.set(team, keys);
  }
  return keys;
};

export async function fakeAccessTeam(team = TEST_ACCESS.team, audience = TEST_ACCESS.aud) {
  const { privateKey, jwk } = await keysOf(team);
  const certsRequests: string[] = [];
  fakeEndpoint(`${team}/cdn-cgi/access/certs`, async (request) => {
    certsRequests.push(request.url);
    return Response.json({ keys: [jwk] });
  });
  const sign = (claims: Record<string, unknown>, options: { audience?: string; issuer?: string; expiresIn?: string; key?: CryptoKey } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setAudience(options.audience ?? audience)
      .setIssuer(options.issuer ?? team)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? privateKey);
  return { sign, certsRequests };
}
