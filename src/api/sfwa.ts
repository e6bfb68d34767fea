/**
 * The public API: GET|POST /api/sfwa/auth[/{endpointName}] -> {"code":"ACCEPT"|"REJECT"|"TIMEOUT"}.
 * Order of checks: endpoint (404), API key (401), input (400), rate limit (429); nothing is sent
 * to the phone unless all pass. Then the call holds until the session's outcome.
 */
import { Hono, type Context } from 'hono';
import { startSession } from '../auth-session/session-client';
import { outcomeCode } from '../auth-session/session-state';
import { apiError } from '../domain/api-error';
import { authRequestSchema, fieldErrors, messagesFor } from '../domain/auth-request';
import { maskMsisdn } from '../domain/msisdn';
import { publicOrigin, type Env } from '../env';
import { checkApiKey } from '../security/api-key-auth';
import { phoneKey } from '../security/phone-key';
import { database } from '../store/db';
import { findProfileCached } from '../store/profiles';
import { admitAttempt } from '../store/rate-counter';

export const sfwaApi = new Hono<{ Bindings: Env }>();

/** Query parameters, overlaid by a JSON or form body on POST (which keeps numbers out of URLs and logs). */
async function requestParameters(c: Context<{ Bindings: Env }>): Promise<Record<string, unknown>> {
  const query = c.req.query();
  if (c.req.method !== 'POST') return query;
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body = await c.req.json().catch(() => {
      throw apiError('BAD_REQUEST', { errors: [{ field: '(body)', message: 'is not valid JSON' }] });
    });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw apiError('BAD_REQUEST', { errors: [{ field: '(body)', message: 'must be a JSON object' }] });
    }
    return { ...query, ...body };
  }
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    return { ...query, ...(await c.req.parseBody()) };
  }
  if (!type) return query;
  throw apiError('BAD_REQUEST', { errors: [{ field: '(body)', message: 'must be application/json or application/x-www-form-urlencoded' }] });
}

sfwaApi.on(['GET', 'POST'], ['/', '/:endpointName'], async (c) => {
  const startedMs = Date.now();
  const db = database(c.env.DB);
  const endpointName = c.req.param('endpointName') ?? null;
  const profile = await findProfileCached(db, endpointName, startedMs);
  if (!profile) throw apiError('NOT_FOUND', { message: `No endpoint named "${endpointName}"` });

  const key = await checkApiKey(db, profile.id, c.req.header('api-key'), new Date(startedMs));
  if (!key.ok) {
    // The caller is told only "unauthorized"; the reason goes to the log.
    console.warn(JSON.stringify({ event: 'sfwa.unauthorized', profile: profile.name, reason: key.reason }));
    throw apiError('UNAUTHORIZED', { message: 'Missing or invalid api-key header (expected "{tokenName}:{tokenValue}")' });
  }

  const parsed = authRequestSchema.safeParse(await requestParameters(c));
  if (!parsed.success) throw apiError('BAD_REQUEST', { errors: fieldErrors(parsed.error) });
  const request = parsed.data;

  const rate = await admitAttempt(c.env.KV, await phoneKey(c.env, request.msisdn), startedMs, profile.rateLimit);
  if (!rate.allowed) {
    throw apiError('RATE_LIMITED', { headers: { 'retry-after': String(rate.retryAfterSeconds) } });
  }

  const session = await startSession(c.env, {
    msisdn: request.msisdn,
    profileName: profile.name,
    tokenName: key.token.name,
    messages: messagesFor(request, profile.touchMessages),
    timeoutSeconds: request['touch-timeout'],
    linkOrigin: publicOrigin(c.env, c.req.url),
  });
  const log = (outcome: string) =>
    console.log(JSON.stringify({ event: 'sfwa.outcome', profile: profile.name, token: key.token.name, msisdn: maskMsisdn(request.msisdn), outcome, ms: Date.now() - startedMs }));
  if (session.status === 'failed') {
    log('DELIVERY_FAILED');
    throw apiError('DELIVERY_FAILED');
  }

  // A caller that hangs up cancels its session, so the link stops working.
  c.req.raw.signal.addEventListener('abort', () => c.executionCtx.waitUntil(session.cancel()));

  const status = await session.outcome();
  const code = outcomeCode(status);
  if (code === null) throw apiError('DELIVERY_FAILED');
  log(code);
  return c.json({ code }, 200, { 'cache-control': 'no-store' });
});
