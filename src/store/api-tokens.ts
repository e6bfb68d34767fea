/** API token queries. Only SHA-256 hashes of token values are stored. */
import { and, asc, count, eq, or } from 'drizzle-orm';
import type { ApiToken } from '../domain/api-token';
import type { Database } from './db';
import { apiTokens } from './schema';

type TokenRow = typeof apiTokens.$inferSelect;

const toApiToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  profileId: row.profileId,
  name: row.name,
  secretHash: row.secretHash,
  source: row.source,
  expiresAt: row.expiresAt,
  createdAt: row.createdAt,
});

export async function findToken(db: Database, profileId: number, name: string): Promise<ApiToken | null> {
  const row = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.profileId, profileId), eq(apiTokens.name, name)))
    .get();
  return row ? toApiToken(row) : null;
}

/**
 * The tokens an api-key could mean, in one query: the one named `name`, and those whose value has the
 * hash `secretHash` (normally none or one: imports refuse a value already used). At most three rows.
 */
export async function findTokenCandidates(db: Database, profileId: number, name: string, secretHash: string): Promise<ApiToken[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.profileId, profileId), or(eq(apiTokens.name, name), eq(apiTokens.secretHash, secretHash))))
    .limit(3);
  return rows.map(toApiToken);
}

/** The profile's tokens whose value has this hash: normally none or one (imports refuse a value already used). */
export async function findTokensByHash(db: Database, profileId: number, secretHash: string): Promise<ApiToken[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.profileId, profileId), eq(apiTokens.secretHash, secretHash)))
    .limit(2);
  return rows.map(toApiToken);
}

export async function insertToken(
  db: Database,
  token: { profileId: number; name: string; secretHash: string; source: 'created' | 'imported'; expiresAt: Date | null },
): Promise<ApiToken> {
  return toApiToken(await db.insert(apiTokens).values(token).returning().get());
}

export async function listTokens(db: Database, profileId: number, page: number, size: number): Promise<{ items: ApiToken[]; total: number }> {
  const where = eq(apiTokens.profileId, profileId);
  const [rows, totals] = await db.batch([
    db.select().from(apiTokens).where(where).orderBy(asc(apiTokens.name)).limit(size).offset(page * size),
    db.select({ total: count() }).from(apiTokens).where(where),
  ]);
  return { items: rows.map(toApiToken), total: totals[0]?.total ?? 0 };
}

/** Deletes a token; returns its value's hash (to forget cached lookups by value), or null when there was none. */
export async function deleteToken(db: Database, profileId: number, name: string): Promise<{ secretHash: string } | null> {
  const deleted = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.profileId, profileId), eq(apiTokens.name, name)))
    .returning({ secretHash: apiTokens.secretHash });
  return deleted[0] ?? null;
}
