/**
 * Checks an `api-key` header against a profile's tokens.
 *
 * Token rows are cached per isolate for TOKEN_CACHE_TTL_SECONDS, so a warm isolate answers without a
 * D1 round trip. Expiry is checked on every call against the cached row, so it is exact; a deleted
 * token is dropped from this isolate's cache at once and from other isolates within the TTL.
 * The secret is compared as a SHA-256 hash in constant time, and a lookup that finds no token
 * still compares against a dummy hash, so timing does not tell unknown names from wrong secrets.
 */
import { isTokenExpired, parseApiKey, type ApiToken } from '../domain/api-token';
import { TOKEN_CACHE_TTL_SECONDS } from '../domain/constants';
import { findToken } from '../store/api-tokens';
import { IsolateCache } from '../store/isolate-cache';
import type { Database } from '../store/db';
import { sha256Hex, timingSafeEqualText } from './crypto';

export type ApiKeyCheck =
  | { ok: true; token: ApiToken }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown-token' | 'wrong-secret' | 'expired' };

const DUMMY_HASH = '0'.repeat(64);
const tokenCache = new IsolateCache<ApiToken | null>(TOKEN_CACHE_TTL_SECONDS * 1000);

const cacheKey = (profileId: number, name: string) => `${profileId}:${name}`;

/** Called when a token is deleted or created, so this isolate sees the change at once. */
export function forgetCachedToken(profileId: number, name: string): void {
  tokenCache.delete(cacheKey(profileId, name));
}

export async function checkApiKey(db: Database, profileId: number, header: string | undefined, now: Date): Promise<ApiKeyCheck> {
  if (!header) return { ok: false, reason: 'missing' };
  const key = parseApiKey(header);
  if (!key) return { ok: false, reason: 'malformed' };
  const token = await tokenCache.get(cacheKey(profileId, key.name), now.getTime(), () => findToken(db, profileId, key.name));
  const matches = timingSafeEqualText(await sha256Hex(key.secret), token?.secretHash ?? DUMMY_HASH);
  if (!token) return { ok: false, reason: 'unknown-token' };
  if (!matches) return { ok: false, reason: 'wrong-secret' };
  if (isTokenExpired(token, now)) return { ok: false, reason: 'expired' };
  return { ok: true, token };
}
