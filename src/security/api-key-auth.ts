/**
 * Checks an `api-key` header against a profile's tokens. Two forms are accepted:
 * - `{tokenName}:{tokenValue}`: the token is found by name, then its value compared;
 * - a bare `{tokenValue}` (what Mideye Server integrations send, often a UUID): the token is found
 *   by the SHA-256 of the value among the profile's tokens. Two tokens with that value make the
 *   key ambiguous, and it is refused. A `name:value` whose name matches no token is tried as a bare
 *   value too, since an imported value may itself contain a colon.
 *
 * Token rows are cached per isolate for TOKEN_CACHE_TTL_SECONDS, so a warm isolate answers without a
 * D1 round trip. Expiry is checked on every call against the cached row, so it is exact; a deleted
 * token is dropped from this isolate's cache at once and from other isolates within the TTL.
 * Secrets are compared as SHA-256 hashes in constant time, and a lookup that finds no token still
 * compares against a dummy hash, so timing does not tell unknown names from wrong secrets.
 */
import { isTokenExpired, parseApiKey, type ApiToken } from '../domain/api-token';
import { TOKEN_CACHE_TTL_SECONDS } from '../domain/constants';
import { findToken, findTokensByHash } from '../store/api-tokens';
import { IsolateCache } from '../store/isolate-cache';
import type { Database } from '../store/db';
import { sha256Hex, timingSafeEqualText } from './crypto';

export type ApiKeyCheck =
  | { ok: true; token: ApiToken }
  | { ok: false; reason: 'missing' | 'unknown-token' | 'wrong-secret' | 'expired' | 'ambiguous' };

const DUMMY_HASH = '0'.repeat(64);
const tokensByName = new IsolateCache<ApiToken | null>(TOKEN_CACHE_TTL_SECONDS * 1000);
const tokensByHash = new IsolateCache<ApiToken[]>(TOKEN_CACHE_TTL_SECONDS * 1000);

const nameKey = (profileId: number, name: string) => `${profileId}:${name}`;
const hashKey = (profileId: number, secretHash: string) => `${profileId}:${secretHash}`;

/** Called when a token is created, imported or deleted, so this isolate sees the change at once. */
export function forgetCachedToken(token: { profileId: number; name: string; secretHash?: string }): void {
  tokensByName.delete(nameKey(token.profileId, token.name));
  if (token.secretHash) tokensByHash.delete(hashKey(token.profileId, token.secretHash));
}

const validity = (token: ApiToken, now: Date): ApiKeyCheck => (isTokenExpired(token, now) ? { ok: false, reason: 'expired' } : { ok: true, token });

export async function checkApiKey(db: Database, profileId: number, header: string | undefined, now: Date): Promise<ApiKeyCheck> {
  if (!header) return { ok: false, reason: 'missing' };
  const prefixed = parseApiKey(header);
  if (prefixed) {
    const token = await tokensByName.get(nameKey(profileId, prefixed.name), now.getTime(), () => findToken(db, profileId, prefixed.name));
    if (token) {
      if (!timingSafeEqualText(await sha256Hex(prefixed.secret), token.secretHash)) return { ok: false, reason: 'wrong-secret' };
      return validity(token, now);
    }
  }
  const secretHash = await sha256Hex(header);
  const matches = await tokensByHash.get(hashKey(profileId, secretHash), now.getTime(), () => findTokensByHash(db, profileId, secretHash));
  const equal = timingSafeEqualText(secretHash, matches[0]?.secretHash ?? DUMMY_HASH);
  if (matches.length > 1) return { ok: false, reason: 'ambiguous' };
  if (!matches[0] || !equal) return { ok: false, reason: 'unknown-token' };
  return validity(matches[0], now);
}
