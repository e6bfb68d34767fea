/**
 * The public API: GET|POST /api/sfwa/auth[/{endpointName}] -> {"code":"ACCEPT"|"REJECT"|"TIMEOUT"},
 * or in a profile's `server` dialect Mideye Server's codes (see domain/dialect.ts).
 * Order of checks: endpoint (404), API key (401), input (400), "this wasn't me" block and rate
 * limit (429); nothing is sent to the phone unless all pass. Then the session pushes to the number's
 * companion-app devices or sends the SMS magic link, and the call holds until its outcome, or, with
 * `Prefer: respond-async`, answers 202 at once with where to read the outcome (sfwa-sessions.ts).
 */
import { Hono, type Context } from 'hono';
import { releaseSmsBudget, takeSmsBudget } from '../abuse/sms-budget';
import { findApprovers } from '../assisted/find-approvers';
import type { RecipientStart, SessionStart, StartedSession } from '../auth-session/session-contract';
import { existingSession, newSessionId, outcomeBy, sessionNamespace, startSession, waitForOutcome, type WaitBy } from '../auth-session/session-client';
import { outcomeCode, type SessionOutcome } from '../auth-session/session-state';
import { apiError, rateLimited, type ApiError } from '../domain/api-error';
import { assistedRequestSchemas, authRequestSchemas, fieldErrors, messagesFor } from '../domain/auth-request';
import { STATUS_WAIT_MAX_SECONDS } from '../domain/constants';
import { IDEMPOTENT_HANGUP_GRACE_MS } from '../domain/idempotency';
import { parsePrefer } from '../domain/prefer';
import { callbackUrlProblem } from '../domain/callback';
import { countryRefusal } from '../domain/countries';
import { maskMsisdn, msisdnCountry } from '../domain/msisdn';
import type { Profile } from '../domain/profile';
import { allowedCountriesOf, isLocalDev, isPushEnabled, publicOrigin, type Env } from '../env';
import { phoneKey } from '../security/phone-key';
import { database } from '../store/db';
import { devicesForPhoneCached } from '../store/devices';
import { findProfileCached } from '../store/profiles';
import { startAttempt } from '../store/rate-counter';
import { blockedForSeconds } from '../store/report-block';
import { readBodyParameters } from './request-body';
import { checkCaller } from './sfwa-caller';
import { claimStart, type StartClaim } from './sfwa-idempotency';
import { NO_STORE } from '../http/no-store';
import { inDialect, outcomeResponse, pendingBody, statusUrl } from './sfwa-answers';
import { logEvent } from '../observability/log';

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
  return inDialect(profile.dialect, () => authenticate(c, profile, startedMs));
});

async function authenticate(c: Context<{ Bindings: Env }>, profile: Profile, startedMs: number): Promise<Response> {
  // The body is read beside the key check and the address's throttle, and answered for only after both.
  const reading = requestParameters(c);
  reading.catch(() => undefined);
  const key = await checkCaller(c, profile, startedMs);
  // The caller is told only "unauthorized"; the reason went to the log.
  if (!key.ok) throw apiError('UNAUTHORIZED', { message: 'Missing or invalid api-key header (expected "{tokenName}:{tokenValue}" or the token value)' });

  const parameters = await reading;
  const prepared = profile.assistedLogin.profile !== null ? prepareAssisted(c, profile, parameters, startedMs) : preparePlain(c, profile, parameters, startedMs);
  const callback = callbackOf(profile, prepared.request['callback-url']);
  // A retry with the same Idempotency-Key gets the session the first request started: no second SMS, no second count.
  const claim = await claimStart(c, profile, prepared.request);
  if (claim.replayOf) return answerReplay(c, profile, claim.replayOf);
  try {
    const ask = await prepared.ask();
    return await askAndAnswer(c, profile, startedMs, { ...ask, callback, tokenName: key.token.name }, claim);
  } finally {
    await claim.releaseUnlessStarted();
  }
}

type Ask = Pick<SessionStart, 'recipients' | 'messages' | 'timeoutSeconds' | 'matchCode' | 'assisted'> & { logNumber: string };

/** A plain sign-in: the request parsed (refused at once when bad), and its number's checks to run once the key is claimed. */
function preparePlain(c: ApiContext, profile: Profile, parameters: Record<string, unknown>, startedMs: number) {
  for (const field of ['username', 'approver']) {
    if (field in parameters) throw apiError('BAD_REQUEST', { errors: [{ field, message: 'this endpoint has no assisted login: name the user by msisdn' }] });
  }
  const parsed = authRequestSchemas[profile.dialect].safeParse(parameters);
  if (!parsed.success) throw apiError('BAD_REQUEST', { errors: fieldErrors(parsed.error) });
  const request = parsed.data;
  return {
    request,
    ask: async (): Promise<Ask> => {
      const admitted = await admitNumber(c, profile, request.msisdn, 'msisdn', startedMs);
      if (!admitted.ok) throw admitted.refusal;
      return {
        recipients: [admitted.recipient],
        messages: messagesFor(request, profile.touchMessages),
        timeoutSeconds: request['touch-timeout'],
        matchCode: request['match-code'] ?? null,
        assisted: null,
        logNumber: request.msisdn,
      };
    },
  };
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
  // The attempt's rate-counter write starts at once, side by side with two reads: the number's devices
  // (needed once admitted) and its "this wasn't me" block. Only the count waits for the write.
  const attempt = startAttempt(c.env.KV, numberKey, startedMs);
  const [numberDevices, blockedSeconds] = await Promise.all([
    pushEnabled ? devicesForPhoneCached(database(c.env.DB), numberKey, startedMs) : [],
    // A profile with the block turned off reads nothing for it.
    profile.unexpectedBlockMinutes > 0 ? blockedForSeconds(c.env.KV, profile.id, numberKey, startedMs) : null,
  ]);
  // After "this wasn't me", the number is off limits for this profile for a while: answered as rate limited (and not counted).
  if (blockedSeconds !== null) {
    c.executionCtx.waitUntil(attempt.withdraw().catch(() => undefined));
    return { ok: false, refusal: rateLimited('blocked', blockedSeconds) };
  }

  const devices = profile.usePlusIfActivated ? numberDevices : [];
  // A number asked by SMS takes it from the profile's budget here, beside the number's rate limit;
  // one asked by push takes it only if it falls back to SMS.
  const [rate, budget] = await Promise.all([attempt.decide(profile.rateLimit), devices.length === 0 ? takeSmsBudget(c.env, smsBudgetOf(profile)) : null]);
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

/** The request's `callback-url`, checked against the profile's allow-list before anything is sent; null without one. */
function callbackOf(profile: Profile, url: string | undefined): { url: string } | null {
  if (url === undefined) return null;
  const problem = callbackUrlProblem(url, { callbackHosts: profile.callbackHosts, hasCallbackSecret: profile.callbackSecretCreatedAt !== null });
  if (problem) throw apiError('BAD_REQUEST', { errors: [{ field: 'callback-url', message: problem }] });
  return { url };
}

const smsBudgetOf = (profile: Profile) => ({ profileId: profile.id, profileName: profile.name, budget: profile.smsBudget });

/**
 * Assisted login: the user named by username or msisdn, their approver (named, or every allowed one)
 * found in the endpoint's repositories; each approver's number passes the same checks as a user's.
 * A named approver's refusal is the answer; among several, the ones refused are left out, and only
 * when none is left is the first refusal the answer.
 */
function prepareAssisted(c: ApiContext, profile: Profile, parameters: Record<string, unknown>, startedMs: number) {
  const parsed = assistedRequestSchemas[profile.dialect].safeParse(parameters);
  if (!parsed.success) throw apiError('BAD_REQUEST', { errors: fieldErrors(parsed.error) });
  const request = parsed.data;
  return {
    request,
    ask: async (): Promise<Ask> => {
      const lookup = await findApprovers(c.env, database(c.env.DB), profile, request, startedMs);
      const admissions: Admission[] = [];
      for (const approver of lookup.approvers) admissions.push(await admitNumber(c, profile, approver.msisdn, 'approver', startedMs, approver.id));
      const recipients = admissions.flatMap((admission) => (admission.ok ? [admission.recipient] : []));
      if (!recipients.length) throw (admissions[0] as Extract<Admission, { ok: false }>).refusal;
      return {
        recipients,
        messages: messagesFor(request, profile.assistedMessages),
        // The assisted login profile's session timeout, unless the request sets its own.
        timeoutSeconds: 'touch-timeout' in parameters ? request['touch-timeout'] : lookup.profile.sessionTimeoutSeconds,
        matchCode: request['match-code'] ?? null,
        assisted: { userId: lookup.user.id, userName: lookup.user.name },
        logNumber: recipients[0]!.msisdn,
      };
    },
  };
}

/** Local development only: `x-bench-wait: rpc` makes this call wait the older way, for `npm run bench`'s comparison. */
const benchWaitBy = (c: ApiContext): WaitBy => (isLocalDev(c.env) && c.req.header('x-bench-wait') === 'rpc' ? 'rpc' : 'socket');

/**
 * Starts the session with its recipients and holds the call until its outcome; then answers in the
 * profile's dialect. With `Prefer: respond-async` it answers 202 once the message is on its way (after
 * up to `wait=N` seconds for the outcome, when asked), and the caller reads the outcome by session id.
 */
async function askAndAnswer(c: ApiContext, profile: Profile, startedMs: number, ask: Ask & Pick<SessionStart, 'tokenName' | 'callback'>, claim: StartClaim): Promise<Response> {
  const preferences = parsePrefer(c.req.header('prefer'));
  const single = ask.recipients.length === 1 && !ask.assisted ? ask.recipients[0]! : null;
  const id = newSessionId(c.env);
  const starting = startSession(c.env, id, {
    recipients: ask.recipients,
    profileId: profile.id,
    profileName: profile.name,
    tokenName: ask.tokenName,
    messages: ask.messages,
    timeoutSeconds: ask.timeoutSeconds,
    linkOrigin: publicOrigin(c.env, c.req.url),
    smsSender: profile.smsSender,
    matchCode: ask.matchCode,
    context: { requestedAtMs: startedMs, location: isLocalDev(c.env) ? null : approximateLocation(c.req.raw) },
    smsBudget: smsBudgetOf(profile),
    assisted: ask.assisted,
    callback: ask.callback,
    // An approver's "this wasn't me" is a rejection of someone else's sign-in: it blocks nobody.
    blockOnReport: single && profile.unexpectedBlockMinutes > 0 ? { phoneKey: single.phoneKey, minutes: profile.unexpectedBlockMinutes } : null,
    ...(isLocalDev(c.env) && c.req.header('x-bench-busy') && { trackBusy: true }),
  });
  // A synchronous caller that hangs up, even while the session starts, lets it go; nobody holds an async one.
  if (!preferences.respondAsync) onHangUp(c, id, starting, claim.keyed);
  const started = await starting;
  const sessionId = id.toString();
  await claim.started(sessionId);
  const log = (outcome: string, channel: string) =>
    logEvent('info', 'sfwa.outcome', {
      session: sessionId.slice(0, 8),
      profile: profile.name,
      token: ask.tokenName,
      msisdn: maskMsisdn(ask.logNumber),
      ...(ask.assisted && { assisted: true, approvers: ask.recipients.length }),
      ...(preferences.respondAsync && { async: true }),
      channel,
      outcome,
      ms: Date.now() - startedMs,
    });
  const session = { id, started, assisted: ask.assisted !== null };

  if (preferences.respondAsync) {
    // Nobody holds this call open: a hang-up changes nothing, the outcome waits to be read.
    const waitSeconds = Math.min(preferences.waitSeconds ?? 0, STATUS_WAIT_MAX_SECONDS);
    const result = started.status === 'pending' && waitSeconds > 0 ? await waitForOutcome(c.env, id, Date.now() + waitSeconds * 1000) : started;
    if (result !== 'pending' && result !== 'missing' && result.status !== 'pending') {
      log(outcomeCode(result), result.channel);
      return outcomeResponse(c, profile.dialect, result, { assisted: session.assisted, session: sessionId });
    }
    log('PENDING', started.channel);
    return accepted(c, sessionId, started.deadlineMs);
  }
  return holdAndAnswer(c, profile, session, log);
}

/** 202 for an async start: where to read the outcome. */
const accepted = (c: ApiContext, sessionId: string, deadlineMs: number) =>
  c.json(pendingBody(sessionId, deadlineMs), 202, { ...NO_STORE, location: statusUrl(c, sessionId), 'preference-applied': 'respond-async' });

/**
 * A caller that hangs up cancels its session, so the link stops working; with an Idempotency-Key it
 * may be about to retry, so the session is cancelled only if no retry waits on it a little later.
 * `starting`: the session's start, which the hang-up waits for (it may come during it).
 */
function onHangUp(c: ApiContext, id: DurableObjectId, starting: Promise<unknown>, keyed: boolean): void {
  const signal = c.req.raw.signal;
  const stub = sessionNamespace(c.env).get(id);
  const letGo = async () => {
    await starting;
    if (keyed) await stub.abandoned(IDEMPOTENT_HANGUP_GRACE_MS);
    else await stub.cancel();
  };
  const hungUp = () => c.executionCtx.waitUntil(letGo());
  if (signal.aborted) hungUp();
  else signal.addEventListener('abort', hungUp, { once: true });
}

/** Holds the synchronous call until the session's outcome (see onHangUp for a caller that leaves). */
async function holdAndAnswer(
  c: ApiContext,
  profile: Profile,
  session: { id: DurableObjectId; started: StartedSession; assisted: boolean },
  log?: (outcome: string, channel: string) => void,
): Promise<Response> {
  const { id, started } = session;
  let result: SessionOutcome | 'left' = started;
  if (started.status === 'pending') {
    result = await outcomeBy(c.env, id, started.deadlineMs, { waitBy: benchWaitBy(c), signal: c.req.raw.signal });
    // Nobody is left to answer (the hang-up lets the session go): an empty answer that goes nowhere.
    if (result === 'left') return new Response(null, { status: 499 });
  }
  log?.(outcomeCode(result), result.channel);
  return outcomeResponse(c, profile.dialect, result, { assisted: session.assisted });
}

const markReplayed = (response: Response): Response => {
  response.headers.set('idempotent-replayed', 'true');
  return response;
};

/**
 * A retry with the Idempotency-Key of an earlier start: the same session, answered as that start would
 * be now (an async one the same 202 while pending, a synchronous one held until the outcome), marked as a replay.
 */
async function answerReplay(c: ApiContext, profile: Profile, sessionId: string): Promise<Response> {
  const stub = existingSession(c.env, sessionId);
  const status = stub ? await stub.status() : 'missing';
  if (!stub || status === 'missing') throw apiError('CONFLICT', { message: 'The session this Idempotency-Key started is gone; use a new key' });
  const assisted = status.outcome.approver !== undefined;
  if (parsePrefer(c.req.header('prefer')).respondAsync) {
    // Pending: the same 202. Settled: what the status route answers (a start that failed answers its failure again).
    if (status.outcome.status === 'pending') return markReplayed(accepted(c, sessionId, status.deadlineMs));
    return markReplayed(outcomeResponse(c, profile.dialect, status.outcome, { assisted, session: sessionId }));
  }
  const started = { ...status.outcome, deadlineMs: status.deadlineMs };
  if (started.status === 'pending') onHangUp(c, stub.id, Promise.resolve(), true);
  return markReplayed(await holdAndAnswer(c, profile, { id: stub.id, started, assisted }));
}

/**
 * "Stockholm, SE" from Cloudflare's request metadata, when the edge knows it. Local development has no
 * edge: wrangler fills in a placeholder ("Austin, US"), which is not shown as if it were a real place.
 */
function approximateLocation(request: Request): string | null {
  const cf = request.cf as { city?: string; country?: string } | undefined;
  return [cf?.city, cf?.country].filter(Boolean).join(', ') || null;
}
