/**
 * /admin/api/profiles/{name}/tokens: a profile's API tokens (seed: API Token Management tab).
 * A created secret is shown once, in the 201 answer; only its SHA-256 is stored.
 */
import { Hono } from 'hono';
import { auditActor } from '../../admin/audit';
import { findProfileOr404 } from '../../admin/profiles';
import { createToken, importToken, listTokenPage, removeToken } from '../../admin/tokens';
import { parseInput } from '../../admin/validation';
import { tokenCreateSchema, tokenImportSchema, tokenPageSchema, type ApiToken } from '../../domain/api-token';
import type { Env } from '../../env';
import { database } from '../../store/db';
import { requireRole } from './require-role';
import { readJsonBody } from '../request-body';

export const tokensApi = new Hono<{ Bindings: Env }>();

const tokenView = (token: ApiToken) => ({
  name: token.name,
  expiresAt: token.expiresAt?.toISOString() ?? null,
  source: token.source,
  createdAt: token.createdAt.toISOString(),
});

tokensApi.get('/', requireRole('user'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name') ?? '');
  const { items, ...page } = await listTokenPage(db, profile, parseInput(tokenPageSchema, c.req.query()));
  return c.json({ items: items.map(tokenView), ...page });
});

tokensApi.post('/', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name') ?? '');
  const { token, apiKey } = await createToken(db, profile, await readJsonBody(c, tokenCreateSchema), auditActor(c));
  const { name, expiresAt } = tokenView(token);
  return c.json({ token: apiKey, name, expiresAt }, 201);
});

tokensApi.post('/import', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name') ?? '');
  const { name, expiresAt } = tokenView(await importToken(db, profile, await readJsonBody(c, tokenImportSchema), auditActor(c)));
  return c.json({ name, expiresAt }, 201);
});

tokensApi.delete('/:tokenName', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name') ?? '');
  await removeToken(db, profile, c.req.param('tokenName'), auditActor(c));
  return c.body(null, 204);
});
