/**
 * Checks an `api-key` header against a profile's tokens. Two forms are accepted:
 * - `{tokenName}:{tokenValue}`: the token of that name, its value compared;
 * - a bare `{tokenValue}` (what Mideye Server integrations send, often a UUID): the token whose value
 *   has that SHA-256 among the profile's tokens. Two tokens with that value make the key ambiguous,
 *   and it is refused. A `name:value` whose name matches no token is tried as a bare value too, for
 *   values imported with a colon before imports refused them.
 *
 * Every header takes the same path: two hashes, one D1 query for the candidates by name or by value,
 * one constant-time comparison. So an unknown token name and a wrong secret for a known one cost the
 * same operations and the same time, and timing tells a guesser nothing about which names exist.
 *
 * Lookups are cached per isolate for TOKEN_CACHE_TTL_SECONDS by the hash of the whole header, so a warm
 * isolate answers a known caller without a D1 round trip. Expiry is checked on every call against the
 * cached row, so it is exact; any token change clears this isolate's cache at once, others' within the TTL.
 */
import { isTokenExpired, parseApiKey, type ApiToken } from '../domain/api-token';
import { TOKEN_CACHE_TTL_SECONDS } from '../domain/constants';
import { findTokenCandidates } from '../store/api-tokens';
import type { Database } from '../store/db';
import { IsolateCache } from '../store/isolate-cache';
import { sha256Hex, timingSafeEqualText } from '../security/crypto';

export type ApiKeyCheck =
  | { ok: true; token: ApiToken }
  | { ok: false; reason: 'missing' | 'unknown-token' | 'wrong-secret' | 'expired' | 'ambiguous' };

const DUMMY_HASH = '0'.repeat(64);
const lookups = new IsolateCache<ApiToken[]>(TOKEN_CACHE_TTL_SECONDS * 1000);

/** Called when a token is created, imported or deleted, so this isolate sees the change at once. */
export function forgetCachedTokens(): void {
  lookups.clear();
}

const validity = (token: ApiToken, now: Date): ApiKeyCheck => (isTokenExpired(token, now) ? { ok: false, reason: 'expired' } : { ok: true, token });

export async function checkApiKey(db: Database, profileId: number, header: string | undefined, now: Date): Promise<ApiKeyCheck> {
  if (!header) return { ok: false, reason: 'missing' };
  const prefixed = parseApiKey(header);
  const [secretHash, headerHash] = await Promise.all([sha256Hex(prefixed?.secret ?? header), sha256Hex(header)]);
  // Names are at least 3 characters: "" matches none, so a bare key runs the very same query.
  const candidates = await lookups.get(`${profileId}:${headerHash}`, now.getTime(), () => findTokenCandidates(db, profileId, prefixed?.name ?? '', headerHash));
  const byName = prefixed ? candidates.find((token) => token.name === prefixed.name) : undefined;
  const secretMatches = timingSafeEqualText(secretHash, byName?.secretHash ?? DUMMY_HASH);
  if (byName) return secretMatches ? validity(byName, now) : { ok: false, reason: 'wrong-secret' };
  const byValue = candidates.filter((token) => token.secretHash === headerHash);
  if (byValue.length > 1) return { ok: false, reason: 'ambiguous' };
  if (!byValue[0]) return { ok: false, reason: 'unknown-token' };
  return validity(byValue[0], now);
}
