/**
 * The public API: GET|POST /api/sfwa/auth[/{endpointName}] -> {"code":"ACCEPT"|"REJECT"|"TIMEOUT"},
 * or in a profile's `server` dialect Mideye Server's codes (see domain/dialect.ts).
 * Order of checks: endpoint (404), API key (401), input (400), "this wasn't me" block and rate
 * limit (429); nothing is sent to the phone unless all pass. Then the session pushes to the number's
 * companion-app devices or sends the SMS magic link, and the call holds until its outcome.
 */
import { Hono, type Context } from 'hono';
import { releaseSmsBudget, takeSmsBudget } from '../abuse/sms-budget';
import { findApprovers } from '../assisted/find-approvers';
import type { RecipientStart, SessionStart } from '../auth-session/auth-session';
import { startSession, type WaitBy } from '../auth-session/session-client';
import { sessionOutcome } from '../auth-session/session-state';
import { ApiError, apiError, rateLimited } from '../domain/api-error';
import { assistedRequestSchemas, authRequestSchemas, fieldErrors, messagesFor } from '../domain/auth-request';
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

  const parameters = await requestParameters(c);
  if (profile.assistedLogin.profile !== null) return authenticateAssisted(c, profile, key.token.name, parameters, startedMs);
  for (const field of ['username', 'approver']) {
    if (field in parameters) throw apiError('BAD_REQUEST', { errors: [{ field, message: 'this endpoint has no assisted login: name the user by msisdn' }] });
  }
  const parsed = authRequestSchemas[profile.dialect].safeParse(parameters);
  if (!parsed.success) throw apiError('BAD_REQUEST', { errors: fieldErrors(parsed.error) });
  const request = parsed.data;
  const admitted = await admitNumber(c, profile, request.msisdn, 'msisdn', startedMs);
  if (!admitted.ok) throw admitted.refusal;
  return askAndAnswer(c, profile, startedMs, {
    recipients: [admitted.recipient],
    tokenName: key.token.name,
    messages: messagesFor(request, profile.touchMessages),
    timeoutSeconds: request['touch-timeout'],
    matchCode: request['match-code'] ?? null,
    assisted: null,
    logNumber: request.msisdn,
  });
}

type ApiContext = Context<{ Bindings: Env }>;
type Admission = { ok: true; recipient: RecipientStart; numberKey: string } | { ok: false; refusal: ApiError };

/**
 * The checks one phone number must pass before anything is sent to it: the toll-fraud guard's
 * countries, the "this wasn't me" block, its rate limit and, for an SMS, the profile's budget.
 * Also finds its companion-app devices (pushes do not take from the budget).
 */
async function admitNumber(c: ApiContext, profile: Profile, msisdn: string, field: string, startedMs: number, approver: string | null = null): Promise<Admission> {
  const countryProblem = countryRefusal(msisdnCountry(msisdn)!, allowedCountriesOf(profile, c.env));
  if (countryProblem) return { ok: false, refusal: apiError('BAD_REQUEST', { errors: [{ field, message: countryProblem }] }) };

  const numberKey = await phoneKey(c.env, msisdn);
  const pushEnabled = isPushEnabled(c.env);
  // Two reads side by side: the number's devices (needed once admitted) and its "this wasn't me" block.
  const [numberDevices, blockedSeconds] = await Promise.all([
    pushEnabled ? devicesForPhoneCached(database(c.env.DB), numberKey, startedMs) : [],
    // A profile with the block turned off reads nothing for it.
    profile.unexpectedBlockMinutes > 0 ? blockedForSeconds(c.env.KV, profile.id, numberKey, startedMs) : null,
  ]);
  // After "this wasn't me", the number is off limits for this profile for a while: answered as rate limited.
  if (blockedSeconds !== null) return { ok: false, refusal: rateLimited('blocked', blockedSeconds) };

  const devices = profile.usePlusIfActivated ? numberDevices : [];
  // A number asked by SMS takes it from the profile's budget here, beside the number's rate limit;
  // one asked by push takes it only if it falls back to SMS.
  const [rate, budget] = await Promise.all([
    admitAttempt(c.env.KV, numberKey, startedMs, profile.rateLimit),
    devices.length === 0 ? takeSmsBudget(c.env, smsBudgetOf(profile)) : null,
  ]);
  if (!rate.allowed) {
    if (budget?.allowed) c.executionCtx.waitUntil(releaseSmsBudget(c.env, profile.id, budget.minute));
    return { ok: false, refusal: rateLimited('number', rate.retryAfterSeconds) };
  }
  if (budget && !budget.allowed) return { ok: false, refusal: rateLimited('budget', budget.retryAfterSeconds) };
  return {
    ok: true,
    numberKey,
    recipient: {
      msisdn,
      phoneKey: numberKey,
      devices: devices.map(({ id, platform, pushToken, publicKey }) => ({ id, platform, pushToken, publicKey })),
      // An activation link is worth sending only where the app could then get pushes, and has not been activated yet; never to an approver.
      offerActivation: approver === null && profile.plusActivationLinks && pushEnabled && numberDevices.length === 0,
      smsBudgetMinute: budget?.allowed ? budget.minute : null,
      approver,
    },
  };
}

const smsBudgetOf = (profile: Profile) => ({ profileId: profile.id, profileName: profile.name, budget: profile.smsBudget });

/**
 * Assisted login: the user named by username or msisdn, their approver (named, or every allowed one)
 * found in the endpoint's repositories; each approver's number passes the same checks as a user's.
 * A named approver's refusal is the answer; among several, the ones refused are left out, and only
 * when none is left is the first refusal the answer.
 */
async function authenticateAssisted(c: ApiContext, profile: Profile, tokenName: string, parameters: Record<string, unknown>, startedMs: number): Promise<Response> {
  const parsed = assistedRequestSchemas[profile.dialect].safeParse(parameters);
  if (!parsed.success) throw apiError('BAD_REQUEST', { errors: fieldErrors(parsed.error) });
  const request = parsed.data;
  const lookup = await findApprovers(c.env, database(c.env.DB), profile, request, startedMs);
  const admissions: Admission[] = [];
  for (const approver of lookup.approvers) admissions.push(await admitNumber(c, profile, approver.msisdn, 'approver', startedMs, approver.id));
  const recipients = admissions.flatMap((admission) => (admission.ok ? [admission.recipient] : []));
  if (!recipients.length) throw (admissions[0] as Extract<Admission, { ok: false }>).refusal;
  return askAndAnswer(c, profile, startedMs, {
    recipients,
    tokenName,
    messages: messagesFor(request, profile.assistedMessages),
    // The assisted login profile's session timeout, unless the request sets its own.
    timeoutSeconds: 'touch-timeout' in parameters ? request['touch-timeout'] : lookup.profile.sessionTimeoutSeconds,
    matchCode: request['match-code'] ?? null,
    assisted: { userId: lookup.user.id, userName: lookup.user.name },
    logNumber: recipients[0]!.msisdn,
  });
}

/** Local development only: `x-bench-wait: rpc` makes this call wait the older way, for `npm run bench`'s comparison. */
const benchWaitBy = (c: ApiContext): WaitBy => (isLocalDev(c.env) && c.req.header('x-bench-wait') === 'rpc' ? 'rpc' : 'socket');

/** Starts the session with its recipients and holds the call until its outcome; then answers in the profile's dialect. */
async function askAndAnswer(
  c: ApiContext,
  profile: Profile,
  startedMs: number,
  ask: Pick<SessionStart, 'recipients' | 'tokenName' | 'messages' | 'timeoutSeconds' | 'matchCode' | 'assisted'> & { logNumber: string },
): Promise<Response> {
  const session = await startSession(c.env, {
    recipients: ask.recipients,
    profileName: profile.name,
    tokenName: ask.tokenName,
    messages: ask.messages,
    timeoutSeconds: ask.timeoutSeconds,
    linkOrigin: publicOrigin(c.env, c.req.url),
    matchCode: ask.matchCode,
    context: { requestedAtMs: startedMs, location: isLocalDev(c.env) ? null : approximateLocation(c.req.raw) },
    smsBudget: smsBudgetOf(profile),
    assisted: ask.assisted,
  }, benchWaitBy(c));
  const log = (outcome: string, channel: string) =>
    console.log(
      JSON.stringify({
        event: 'sfwa.outcome',
        profile: profile.name,
        token: ask.tokenName,
        msisdn: maskMsisdn(ask.logNumber),
        ...(ask.assisted && { assisted: true, approvers: ask.recipients.length }),
        channel,
        outcome,
        ms: Date.now() - startedMs,
      }),
    );
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
  if (result.reason === 'unexpected' && ask.recipients.length === 1 && !ask.assisted) {
    c.executionCtx.waitUntil(blockNumber(c.env.KV, profile.id, ask.recipients[0]!.phoneKey, profile.unexpectedBlockMinutes, Date.now()));
  }
  const code = OUTCOME_CODES[profile.dialect][outcome];
  // The server dialect answers exactly as Mideye Server does; the cloud dialect adds the channel, why when it was not a plain answer, and the approver.
  if (profile.dialect === 'server') return c.json({ code }, 200, noStore);
  return c.json({ code, channel: result.channel, ...(result.reason && { reason: result.reason }), ...(ask.assisted && { approver: result.approver ?? null }) }, 200, noStore);
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
