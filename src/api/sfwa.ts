/**
 * The public API: GET|POST /api/sfwa/auth[/{endpointName}] -> {"code":"ACCEPT"|"REJECT"|"TIMEOUT"},
 * or in a profile's `server` dialect Mideye Server's codes (see domain/dialect.ts).
 * Order of checks: endpoint (404), API key (401), input (400), rate limit (429); nothing is sent
 * to the phone unless all pass. Then the call holds until the session's outcome.
 */
import { Hono, type Context } from 'hono';
import { startSession } from '../auth-session/session-client';
import { ApiError, apiError } from '../domain/api-error';
import { authRequestSchemas, fieldErrors, messagesFor } from '../domain/auth-request';
import { OUTCOME_CODES, SERVER_FAILED_DELIVERY, SERVER_REFUSAL, sessionOutcome } from '../domain/dialect';
import { maskMsisdn } from '../domain/msisdn';
import type { Profile } from '../domain/profile';
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
  // No profile, no dialect: an unknown endpoint answers in the cloud API's words.
  if (!profile) throw apiError('NOT_FOUND', { message: `No endpoint named "${endpointName}"` });
  try {
    return await authenticate(c, profile, startedMs);
  } catch (error) {
    if (profile.dialect === 'server' && error instanceof ApiError) return serverRefusal(error);
    throw error;
  }
});

async function authenticate(c: Context<{ Bindings: Env }>, profile: Profile, startedMs: number): Promise<Response> {
  const key = await checkApiKey(database(c.env.DB), profile.id, c.req.header('api-key'), new Date(startedMs));
  if (!key.ok) {
    // The caller is told only "unauthorized"; the reason goes to the log.
    console.warn(JSON.stringify({ event: 'sfwa.unauthorized', profile: profile.name, reason: key.reason }));
    throw apiError('UNAUTHORIZED', { message: 'Missing or invalid api-key header (expected "{tokenName}:{tokenValue}" or the token value)' });
  }

  const parsed = authRequestSchemas[profile.dialect].safeParse(await requestParameters(c));
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
  const noStore = { 'cache-control': 'no-store' };

  // A caller that hangs up cancels its session, so the link stops working.
  if (session.status !== 'failed') c.req.raw.signal.addEventListener('abort', () => c.executionCtx.waitUntil(session.cancel()));

  const outcome = sessionOutcome(session.status === 'failed' ? 'failed' : await session.outcome());
  if (outcome === null) {
    log('DELIVERY_FAILED');
    if (profile.dialect === 'server') return c.json({ code: SERVER_FAILED_DELIVERY, message: DELIVERY_FAILED_MESSAGE }, 200, noStore);
    throw apiError('DELIVERY_FAILED', { message: DELIVERY_FAILED_MESSAGE });
  }
  log(outcome);
  return c.json({ code: OUTCOME_CODES[profile.dialect][outcome] }, 200, noStore);
}

const DELIVERY_FAILED_MESSAGE = 'The authentication message could not be delivered';

/**
 * Mideye Server answers every refusal with the code BAD_REQUEST; its clients read only `code`.
 * We keep the HTTP status and the `message` (and field `errors`) beside it, so a person debugging
 * sees why, and `reason` carries the cloud API's code for programs.
 */
function serverRefusal(error: ApiError): Response {
  const { code, ...detail } = error.body;
  const body = { code: SERVER_REFUSAL, reason: code, ...detail };
  const headers = new Headers(error.getResponse().headers);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
