/**
 * GET /.well-known/jwks.json: the public keys receipts are signed with (RFC 7517), current first,
 * then those kept after a rotation, each named by `kid`. Public, cacheable for five minutes (a new
 * key is used only after a deploy, and verifiers look up an unknown `kid` again), readable cross-origin.
 */
import { Hono } from 'hono';
import type { Env } from '../env';
import { publishedKeys } from '../security/receipt-keys';

export const jwksRoute = new Hono<{ Bindings: Env }>();

jwksRoute.get('/jwks.json', async (c) =>
  c.json({ keys: await publishedKeys(c.env) }, 200, {
    'cache-control': 'public, max-age=300',
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
  }),
);
