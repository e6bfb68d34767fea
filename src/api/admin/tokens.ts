/**
 * /admin/api/profiles/{name}/tokens: a profile's API tokens (seed: API Token Management tab).
 * A created secret is shown once, in the 201 answer; only its SHA-256 is stored.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { apiError } from '../../domain/api-error';
import { formatApiKey, newTokenSecret, tokenCreateSchema, tokenImportSchema, type ApiToken } from '../../domain/api-token';
import { TOKEN_PAGE_SIZE_DEFAULT, TOKEN_PAGE_SIZE_MAX } from '../../domain/constants';
import type { Env } from '../../env';
import { forgetCachedToken } from '../../security/api-key-auth';
import { sha256Hex } from '../../security/crypto';
import { deleteToken, insertToken, listTokens } from '../../store/api-tokens';
import { database } from '../../store/db';
import { findProfileOr404 } from './profiles';
import { requireRole } from './require-role';
import { parseInput, readJsonBody, rethrowConflict } from './validation';

export const tokensApi = new Hono<{ Bindings: Env }>();

const wholeNumber = () => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number');

// Seed: the token list uses server-side pagination. Pages count from 0.
const tokenPageSchema = z.object({
  page: wholeNumber().min(0, 'must be at least 0').default(0),
  size: wholeNumber().min(1, 'must be at least 1').max(TOKEN_PAGE_SIZE_MAX, `must be at most ${TOKEN_PAGE_SIZE_MAX}`).default(TOKEN_PAGE_SIZE_DEFAULT),
});

const tokenView = (token: ApiToken) => ({
  name: token.name,
  expiresAt: token.expiresAt?.toISOString() ?? null,
  source: token.source,
  createdAt: token.createdAt.toISOString(),
});

const parseExpiresAt = (expiresAt: string | null | undefined): Date | null => (expiresAt ? new Date(expiresAt) : null);

tokensApi.get('/', requireRole('user'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name') ?? '');
  const { page, size } = parseInput(tokenPageSchema, c.req.query());
  const { items, total } = await listTokens(db, profile.id, page, size);
  return c.json({ items: items.map(tokenView), page, size, total });
});

tokensApi.post('/', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name') ?? '');
  const input = await readJsonBody(c, tokenCreateSchema);
  const secret = newTokenSecret();
  const token = await insertToken(db, {
    profileId: profile.id,
    name: input.name,
    secretHash: await sha256Hex(secret),
    source: 'created',
    expiresAt: parseExpiresAt(input.expiresAt),
  }).catch(rethrowConflict('name'));
  forgetCachedToken(profile.id, token.name);
  const { name, expiresAt } = tokenView(token);
  return c.json({ token: formatApiKey(name, secret), name, expiresAt }, 201);
});

tokensApi.post('/import', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name') ?? '');
  const input = await readJsonBody(c, tokenImportSchema);
  const token = await insertToken(db, {
    profileId: profile.id,
    name: input.name,
    secretHash: await sha256Hex(input.token),
    source: 'imported',
    expiresAt: parseExpiresAt(input.expiresAt),
  }).catch(rethrowConflict('name'));
  forgetCachedToken(profile.id, token.name);
  const { name, expiresAt } = tokenView(token);
  return c.json({ name, expiresAt }, 201);
});

tokensApi.delete('/:tokenName', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name') ?? '');
  const tokenName = c.req.param('tokenName');
  const deleted = await deleteToken(db, profile.id, tokenName);
  // Forget it even when absent: this isolate may still hold a row another isolate deleted.
  forgetCachedToken(profile.id, tokenName);
  if (!deleted) throw apiError('NOT_FOUND', { message: `No API token named "${tokenName}"` });
  return c.body(null, 204);
});
