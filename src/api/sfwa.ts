/**
 * The public API: GET|POST /api/sfwa/auth[/{endpointName}] -> {"code":"ACCEPT"|"REJECT"|"TIMEOUT"},
 * or in a profile's `server` dialect Mideye Server's codes (see domain/dialect.ts).
 * Order of checks: endpoint (404), API key (401), input (400), "this wasn't me" block and rate
 * limit (429); nothing is sent to the phone unless all pass. Then the session pushes to the number's
 * companion-app devices or sends the SMS magic link, and the call holds until its outcome.
 */
import { Hono, type Context } from 'hono';
import { releaseSmsBudget, takeSmsBudget } from '../abuse/sms-budget';
import { startSession } from '../auth-session/session-client';
import { sessionOutcome } from '../auth-session/session-state';
import { ApiError, apiError, rateLimited } from '../domain/api-error';
import { authRequestSchemas, fieldErrors, messagesFor } from '../domain/auth-request';
import { OUTCOME_CODES, SERVER_FAILED_DELIVERY, SERVER_REFUSAL } from '../domain/dialect';
import { countryRefusal } from '../domain/countries';
import { maskMsisdn, msisdnCountry } from '../domain/msisdn';
import type { Profile } from '../domain/profile';
import { allowedCountriesOf, isLocalDev, isPushEnabled, publicOrigin, type Env } from '../env';
import { checkApiKey } from '../security/api-key-auth';
import { addressKey, clientAddress } from '../security/client-address';
import { phoneKey } from '../security/phone-key';
import { database } from '../store/db';
import { devicesForPhoneCached } from '../store/devices';
import { keyThrottleSeconds, recordRefusedKey } from '../store/key-refusals';
import { findProfileCached } from '../store/profiles';
import { admitAttempt } from '../store/rate-counter';
import { readBodyParameters } from './request-body';
import { blockedForSeconds, blockNumber } from '../store/report-block';

export const sfwaApi = new Hono<{ Bindings: Env }>();

/** Query parameters, overlaid by a JSON or form body on POST (which keeps numbers out of URLs and logs). */
async function requestParameters(c: Context<{ Bindings: Env }>): Promise<Record<string, unknown>> {
  const query = c.req.query();
  if (c.req.method !== 'POST') return query;
  return { ...query, ...(await readBodyParameters(c.req.raw)) };
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
  // Guessing keys: an address with too many refused keys gets 429 for a while, whatever key it sends.
  // Its throttle is read beside the key check, so a caller in good standing waits for nothing more.
  const address = clientAddress(c.req.raw);
  const addressThrottle = async () => {
    if (!address) return { throttleKey: null, throttledSeconds: null };
    const throttleKey = await addressKey(c.env, address);
    return { throttleKey, throttledSeconds: await keyThrottleSeconds(c.env.KV, profile.id, throttleKey, startedMs) };
  };
  const [key, { throttleKey, throttledSeconds }] = await Promise.all([
    checkApiKey(database(c.env.DB), profile.id, c.req.header('api-key'), new Date(startedMs)),
    addressThrottle(),
  ]);
  if (throttledSeconds !== null) throw rateLimited('client', throttledSeconds);
  if (!key.ok) {
    // The caller is told only "unauthorized"; the reason goes to the log.
    console.warn(JSON.stringify({ event: 'sfwa.unauthorized', profile: profile.name, reason: key.reason, address }));
    const throttledNow = throttleKey ? await recordRefusedKey(c.env.KV, profile.id, throttleKey, startedMs) : null;
    if (throttledNow !== null) throw rateLimited('client', throttledNow);
    throw apiError('UNAUTHORIZED', { message: 'Missing or invalid api-key header (expected "{tokenName}:{tokenValue}" or the token value)' });
  }

  const parsed = authRequestSchemas[profile.dialect].safeParse(await requestParameters(c));
  if (!parsed.success) throw apiError('BAD_REQUEST', { errors: fieldErrors(parsed.error) });
  const request = parsed.data;
  // The toll-fraud guard's geo permission, for every channel: a refused number gets nothing at all.
  const countryProblem = countryRefusal(msisdnCountry(request.msisdn)!, allowedCountriesOf(profile, c.env));
  if (countryProblem) throw apiError('BAD_REQUEST', { errors: [{ field: 'msisdn', message: countryProblem }] });

  const numberKey = await phoneKey(c.env, request.msisdn);
  const pushEnabled = isPushEnabled(c.env);
  // Two reads side by side: the number's devices (needed once admitted) and its "this wasn't me" block.
  const [numberDevices, blockedSeconds] = await Promise.all([
    pushEnabled ? devicesForPhoneCached(database(c.env.DB), numberKey, startedMs) : [],
    // A profile with the block turned off reads nothing for it.
    profile.unexpectedBlockMinutes > 0 ? blockedForSeconds(c.env.KV, profile.id, numberKey, startedMs) : null,
  ]);
  // After "this wasn't me", the number is off limits for this profile for a while: answered as rate limited.
  if (blockedSeconds !== null) throw rateLimited('blocked', blockedSeconds);

  const devices = profile.usePlusIfActivated ? numberDevices : [];
  // A session that starts by SMS takes it from the profile's budget here, beside the number's rate limit;
  // one that starts by push asks only if it falls back to SMS (pushes do not count).
  const smsBudget = { profileId: profile.id, profileName: profile.name, budget: profile.smsBudget };
  const [rate, budget] = await Promise.all([
    admitAttempt(c.env.KV, numberKey, startedMs, profile.rateLimit),
    devices.length === 0 ? takeSmsBudget(c.env, smsBudget) : null,
  ]);
  if (!rate.allowed) {
    if (budget?.allowed) c.executionCtx.waitUntil(releaseSmsBudget(c.env, profile.id, budget.minute));
    throw rateLimited('number', rate.retryAfterSeconds);
  }
  if (budget && !budget.allowed) throw rateLimited('budget', budget.retryAfterSeconds);

  const session = await startSession(c.env, {
    msisdn: request.msisdn,
    phoneKey: numberKey,
    profileName: profile.name,
    tokenName: key.token.name,
    messages: messagesFor(request, profile.touchMessages),
    timeoutSeconds: request['touch-timeout'],
    linkOrigin: publicOrigin(c.env, c.req.url),
    devices: devices.map(({ id, platform, pushToken, publicKey }) => ({ id, platform, pushToken, publicKey })),
    // An activation link is worth sending only where the app could then get pushes, and has not been activated yet.
    offerActivation: profile.plusActivationLinks && pushEnabled && numberDevices.length === 0,
    matchCode: request['match-code'] ?? null,
    context: { requestedAtMs: startedMs, location: isLocalDev(c.env) ? null : approximateLocation(c.req.raw) },
    smsBudget,
    smsBudgetMinute: budget?.allowed ? budget.minute : null,
  });
  const log = (outcome: string, channel: string) =>
    console.log(JSON.stringify({ event: 'sfwa.outcome', profile: profile.name, token: key.token.name, msisdn: maskMsisdn(request.msisdn), channel, outcome, ms: Date.now() - startedMs }));
  const noStore = { 'cache-control': 'no-store' };

  // A caller that hangs up cancels its session, so the link stops working.
  const pending = session.started.status === 'pending';
  if (pending) c.req.raw.signal.addEventListener('abort', () => c.executionCtx.waitUntil(session.cancel()));

  const result = pending ? await session.outcome() : session.started;
  const outcome = sessionOutcome(result.status);
  if (result.reason === 'budget') {
    log('RATE_LIMITED', result.channel);
    throw rateLimited('budget', result.retryAfterSeconds ?? 60);
  }
  if (outcome === null) {
    log('DELIVERY_FAILED', result.channel);
    if (profile.dialect === 'server') return c.json({ code: SERVER_FAILED_DELIVERY, message: DELIVERY_FAILED_MESSAGE }, 200, noStore);
    throw apiError('DELIVERY_FAILED', { message: DELIVERY_FAILED_MESSAGE });
  }
  log(outcome, result.channel);
  if (result.reason === 'unexpected') {
    c.executionCtx.waitUntil(blockNumber(c.env.KV, profile.id, numberKey, profile.unexpectedBlockMinutes, Date.now()));
  }
  const code = OUTCOME_CODES[profile.dialect][outcome];
  // The server dialect answers exactly as Mideye Server does; the cloud dialect adds the channel, and why when it was not a plain answer.
  if (profile.dialect === 'server') return c.json({ code }, 200, noStore);
  return c.json({ code, channel: result.channel, ...(result.reason && { reason: result.reason }) }, 200, noStore);
}

/**
 * "Stockholm, SE" from Cloudflare's request metadata, when the edge knows it. Local development has no
 * edge: wrangler fills in a placeholder ("Austin, US"), which is not shown as if it were a real place.
 */
function approximateLocation(request: Request): string | null {
  const cf = request.cf as { city?: string; country?: string } | undefined;
  return [cf?.city, cf?.country].filter(Boolean).join(', ') || null;
}

const DELIVERY_FAILED_MESSAGE = 'The authentication message could not be delivered';

/**
 * Mideye Server answers every refusal with the code BAD_REQUEST; its clients read only `code`.
 * We keep the HTTP status and the `message` (and field `errors`) beside it, so a person debugging
 * sees why, and `reason` carries the cloud API's code for programs.
 */
function serverRefusal(error: ApiError): Response {
  const { code, reason, ...detail } = error.body;
  // `reason` already says the cloud code here; which rate limit it was goes beside it as `limit`.
  const body = { code: SERVER_REFUSAL, reason: code, ...(reason && { limit: reason }), ...detail };
  const headers = new Headers(error.getResponse().headers);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
