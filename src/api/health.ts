/**
 * GET /health: {"status":"ok"} for anyone (load balancers, uptime checks). With
 * `Authorization: Bearer <HEALTH_CHECK_SECRET>` (a Worker secret), or as /admin/api/health for a signed-in
 * administrator, it also says whether D1, KV and each configured provider's credentials are there:
 * 200 when all is ready, 503 when something is not.
 */
import { Hono, type Context } from 'hono';
import { healthDetails } from '../admin/health';
import { apiError } from '../domain/api-error';
import type { Env } from '../env';
import { NO_STORE } from '../http/no-store';
import { timingSafeEqualText } from '../security/crypto';

export const healthRoute = new Hono<{ Bindings: Env }>();

export async function healthDetailsResponse(c: Context<{ Bindings: Env }>): Promise<Response> {
  const details = await healthDetails(c.env);
  return c.json(details, details.status === 'ok' ? 200 : 503, NO_STORE);
}

healthRoute.get('/', async (c) => {
  const authorization = c.req.header('authorization');
  if (authorization === undefined) return c.json({ status: 'ok' });
  const given = /^Bearer (\S+)$/.exec(authorization)?.[1] ?? '';
  const secret = c.env.HEALTH_CHECK_SECRET;
  if (!secret || !timingSafeEqualText(given, secret)) {
    throw apiError('UNAUTHORIZED', { message: secret ? 'The health check secret is wrong' : 'HEALTH_CHECK_SECRET is not set: the details are only at /admin/api/health' });
  }
  return healthDetailsResponse(c);
});
