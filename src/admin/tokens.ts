/**
 * API token changes, shared by the admin JSON API and the console's forms. A created secret leaves
 * here once, in the result of createToken(); only its SHA-256 is stored.
 */
import { apiError } from '../domain/api-error';
import { formatApiKey, type ApiToken, type TokenCreate, type TokenImport, type TokenPage } from '../domain/api-token';
import type { AuditActor } from '../domain/audit';
import type { Profile } from '../domain/profile';
import { forgetCachedTokens } from '../access/api-key-auth';
import { sha256Hex } from '../security/crypto';
import { newTokenSecret } from '../security/new-secrets';
import { deleteToken, findTokensByHash, insertToken, listTokens } from '../store/api-tokens';
import type { Database } from '../store/db';
import { recordAudit } from './audit';
import { rethrowConflict } from './validation';

const parseExpiresAt = (expiresAt: string | null | undefined): Date | null => (expiresAt ? new Date(expiresAt) : null);

export async function listTokenPage(db: Database, profile: Profile, { page, size }: TokenPage): Promise<TokenPage & { items: ApiToken[]; total: number }> {
  const { items, total } = await listTokens(db, profile.id, page, size);
  return { items, total, page, size };
}

/** A new token with a generated secret; `apiKey` (`{name}:{secret}`) is the only copy of the secret. */
const tokenTarget = (profile: Profile, tokenName: string) => `${profile.name}/${tokenName}`;
const expiry = (token: ApiToken) => ({ expiresAt: { to: token.expiresAt?.toISOString() ?? null } });

export async function createToken(db: Database, profile: Profile, input: TokenCreate, actor: AuditActor): Promise<{ token: ApiToken; apiKey: string }> {
  const secret = newTokenSecret();
  const token = await insertToken(db, {
    profileId: profile.id,
    name: input.name,
    secretHash: await sha256Hex(secret),
    source: 'created',
    expiresAt: parseExpiresAt(input.expiresAt),
  }).catch(rethrowConflict('name'));
  forgetCachedTokens();
  await recordAudit(db, actor, 'token.create', tokenTarget(profile, token.name), expiry(token));
  return { token, apiKey: formatApiKey(token.name, secret) };
}

/** A token whose secret was made elsewhere (seed: Import existing API token). */
export async function importToken(db: Database, profile: Profile, input: TokenImport, actor: AuditActor): Promise<ApiToken> {
  const secretHash = await sha256Hex(input.token);
  // A value used twice would make a bare api-key ambiguous (and refused), so it is refused here first.
  const [sameValue] = await findTokensByHash(db, profile.id, secretHash);
  if (sameValue) {
    throw apiError('CONFLICT', { errors: [{ field: 'token', message: `is already the value of token "${sameValue.name}" on this profile` }] });
  }
  const token = await insertToken(db, {
    profileId: profile.id,
    name: input.name,
    secretHash,
    source: 'imported',
    expiresAt: parseExpiresAt(input.expiresAt),
  }).catch(rethrowConflict('name'));
  forgetCachedTokens();
  await recordAudit(db, actor, 'token.import', tokenTarget(profile, token.name), expiry(token));
  return token;
}

export async function removeToken(db: Database, profile: Profile, tokenName: string, actor: AuditActor): Promise<void> {
  const deleted = await deleteToken(db, profile.id, tokenName);
  // Forget even when absent: this isolate may still hold a row another isolate deleted.
  forgetCachedTokens();
  if (!deleted) throw apiError('NOT_FOUND', { message: `No API token named "${tokenName}"` });
  await recordAudit(db, actor, 'token.delete', tokenTarget(profile, tokenName));
}
