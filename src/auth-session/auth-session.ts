/**
 * One Durable Object per authentication. It stores its state before anything else (a restart does
 * not forget it), sends a push to the number's companion-app devices or else the magic link by SMS
 * (also when every push fails), sets an alarm at the deadline, and answers the waiting API call
 * when the link page or a device decides, the caller cancels or the alarm fires. Once it has
 * answered, it writes its one authentication log entry to D1, retrying from the alarm if D1 fails.
 *
 * Public methods are the RPC surface; everything else is #private so it cannot be called over RPC.
 * Every method is idempotent: the Worker may call wait() again on a fresh stub after a reset.
 */
import { DurableObject } from 'cloudflare:workers';
import { releaseSmsBudget, takeSmsBudget } from '../abuse/sms-budget';
import { CALLBACK_TIMEOUT_MS, isAllowedHost, nextCallbackAttemptMs, type CallbackState } from '../domain/callback';
import { removeDevice } from '../devices/deactivation';
import { decryptMsisdn, encryptMsisdn } from '../security/phone-crypto';
import { AUTH_LOG_WRITE_RETRY_SECONDS, SESSION_RETENTION_SECONDS } from '../domain/constants';
import { decisionSignedText, isStale } from '../domain/device';
import type { UserMessages } from '../domain/profile';
import { shownTextsOf } from '../domain/receipt';
import { REPORT_TOKEN_BYTES, type DeliveryReport } from '../domain/delivery-report';
import { settledDataPoint } from '../observability/analytics';
import { errorText, logEvent } from '../observability/log';
import { maskMsisdn } from '../domain/msisdn';
import { activationSmsLine, localeForMsisdn, smsBody, withBuiltInTexts, type Locale } from '../domain/texts';
import { prepareActivation } from '../devices/activation';
import { isLocalDev, type Env } from '../env';
import type { PushMessage } from '../providers/push/push-message';
import { DeviceGoneError, pushSenderFor } from '../providers/push/push-sender';
import { DeliveryError } from '../providers/provider-request';
import { smsSenderFor } from '../providers/sms/sms-sender';
import { randomSecret, sha256Hex, timingSafeEqualText } from '../security/crypto';
import { verifyDeviceSignature } from '../security/device-signature';
import { shownTextsHash, signReceipt } from '../security/receipt-keys';
import { insertAuthLogEntry, recordAuthLogDelivery } from '../store/auth-log';
import { database } from '../store/db';
import { existingDeviceIds, findDevice } from '../store/devices';
import { deletePushSession, recordPushSession } from '../store/push-sessions';
import { findCallbackSettings } from '../store/profiles';
import { blockNumber } from '../store/report-block';
import { openCallbackSecret } from '../security/callback-secret';
import { signatureHeaders } from '../security/signed-body';
import {
  answeredFrom,
  cancel,
  decide,
  expireIfDue,
  isSettled,
  logEntry,
  markFailed,
  markOverBudget,
  matchChoices,
  type Decision,
  type SessionRecipient,
  type SessionOutcome,
  type SessionState,
  callbackBody,
  receiptClaims,
  sessionOutcomeOf,
} from './session-state';
import type {
  AppRequest,
  DeliveryReportResult,
  DeviceDecision,
  DeviceDecisionResult,
  LinkDecision,
  LinkView,
  RecipientStart,
  SessionStart,
  SessionStatusView,
  StartedSession,
} from './session-contract';
import type { AuthSessionRpc } from '../durable-objects';

/** What an SMS magic link needs: the number, where the link points, the texts, the budget (taken already at `smsBudgetMinute`, or not yet). */
type SmsDelivery = Pick<RecipientStart, 'msisdn' | 'offerActivation' | 'smsBudgetMinute'> & Pick<SessionStart, 'linkOrigin' | 'messages' | 'smsBudget'>;
type SmsResult = 'sent' | NonNullable<SessionRecipient['undeliverable']>;

const sameKey = (a: JsonWebKey, b: JsonWebKey): boolean => a.x === b.x && a.y === b.y;

/** A decision step that also records who answered, when it settles the session (a late answer changes nothing). */
const answeredBy =
  (by: string, recipient: number, step: (state: SessionState, nowMs: number) => SessionState, answer: Partial<SessionState> = {}) =>
  (state: SessionState, nowMs: number): SessionState => {
    const next = step(state, nowMs);
    return next === state ? state : { ...answeredFrom(next, recipient), answeredBy: by, ...answer };
  };

/** The recipient one of whose devices this is, or -1. */
const recipientWithDevice = (state: SessionState, deviceId: string): number => state.recipients.findIndex((recipient) => recipient.devices.some((device) => device.id === deviceId));

/** A recipient changed by `change`, the rest as they were; the summary (number, channel) follows the recipient it shows. */
const withRecipient =
  (index: number, change: (recipient: SessionRecipient) => SessionRecipient) =>
  (state: SessionState): SessionState => {
    const recipients = state.recipients.map((recipient, i) => (i === index ? change(recipient) : recipient));
    const shown = recipients[state.answeredRecipient ?? 0]!;
    return { ...state, recipients, channel: shown.channel, msisdnMasked: shown.msisdnMasked };
  };

const STATE_KEY = 'session';
/** Local development only: how long the object has been busy, for the benchmark (see #track). */
const BUSY_KEY = 'bench:busy-ms';
const LINK_SECRET_BYTES = 16;

export class AuthSession extends DurableObject<Env> implements AuthSessionRpc {
  #state: SessionState | undefined;
  readonly #waiters = new Set<(outcome: SessionOutcome) => void>();
  #sendingCallback = false;
  /** The last log write failed (or the object woke with one owed): the alarm retries it. */
  #logWriteFailed = false;
  /** Requests and handlers running now, and since when the object has been busy. */
  #running = 0;
  #busySinceMs = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Load once, before any call runs, so every transition works on memory and cannot interleave.
    ctx.blockConcurrencyWhile(async () => {
      this.#state = await ctx.storage.get<SessionState>(STATE_KEY);
      this.#logWriteFailed = Boolean(this.#state && isSettled(this.#state) && this.#state.logPending);
    });
  }

  /**
   * Creates the session, then asks every recipient at once: a push to the number's devices or, when
   * there are none or no push gets through, the magic link by SMS. Calling it again returns the status
   * without sending again. It fails only when no recipient could be reached.
   */
  async start(input: SessionStart): Promise<StartedSession> {
    return this.#track(async () => {
      if (this.#state) return this.#started();
      const secrets = input.recipients.map(() => randomSecret(LINK_SECRET_BYTES));
      const [hashes, encrypted] = await Promise.all([
        Promise.all(secrets.map(sha256Hex)),
        Promise.all(input.recipients.map((recipient) => (recipient.devices.length ? encryptMsisdn(this.env, recipient.msisdn) : null))),
      ]);
      if (this.#state) return this.#started();
      const nowMs = Date.now();
      const recipients = input.recipients.map((recipient, i): SessionRecipient => ({
        approver: recipient.approver,
        msisdnMasked: maskMsisdn(recipient.msisdn),
        phoneKey: recipient.phoneKey,
        channel: recipient.devices.length ? 'push' : 'sms',
        linkSecretHash: hashes[i]!,
        devices: recipient.devices.map(({ id, publicKey }) => ({ id, publicKey })),
        ...(encrypted[i] && { smsFallback: { msisdnEncrypted: encrypted[i], linkOrigin: input.linkOrigin, smsBudget: input.smsBudget } }),
      }));
      this.#state = {
        status: 'pending',
        createdAtMs: nowMs,
        deadlineMs: nowMs + input.timeoutSeconds * 1000,
        settledAtMs: null,
        msisdnMasked: recipients[0]!.msisdnMasked,
        profileId: input.profileId,
        profileName: input.profileName,
        tokenName: input.tokenName,
        channel: recipients[0]!.channel,
        reason: null,
        recipients,
        matchCode: input.matchCode,
        matchChoices: input.matchCode === null ? null : matchChoices(input.matchCode),
        context: input.context,
        answeredBy: null,
        answeredRecipient: null,
        assisted: input.assisted,
        blockOnReport: input.blockOnReport,
        callback: input.callback && { url: input.callback.url, attempts: 0, nextAtMs: null, status: 'pending' },
        logPending: false,
        messages: input.messages,
        linkOrigin: input.linkOrigin,
        ...(input.smsSender && { smsSender: input.smsSender }),
        ...(input.trackBusy && isLocalDev(this.env) && { trackBusy: true }),
      };
      await this.ctx.storage.put(STATE_KEY, this.#state);
      await this.ctx.storage.setAlarm(this.#state.deadlineMs);
      await Promise.all(input.recipients.map((recipient, i) => this.#deliver(input, recipient, i, secrets[i]!)));
      return this.#started();
    });
  }

  #started(): StartedSession {
    return { ...sessionOutcomeOf(this.#state!), deadlineMs: this.#state!.deadlineMs };
  }

  /** One recipient: push first when it has devices; by SMS when it has none or every push failed. */
  async #deliver(input: SessionStart, recipient: RecipientStart, index: number, secret: string): Promise<void> {
    if (recipient.devices.length && (await this.#push(recipient, index))) return;
    if (!this.#state || isSettled(this.#state)) return;
    if (recipient.devices.length) {
      // Every push failed: this recipient goes on by SMS, and only its channel tells.
      await this.#transition(withRecipient(index, ({ smsFallback: _fallback, ...current }) => ({ ...current, channel: 'sms', devices: [] })));
    }
    const sent = await this.#sendSms(index, { ...recipient, linkOrigin: input.linkOrigin, messages: input.messages, smsBudget: input.smsBudget }, secret);
    if (sent !== 'sent') await this.#markUndeliverable(index, sent);
  }

  /** Nothing reached this recipient: once no recipient is left, the session fails (for want of budget, when that was why). */
  async #markUndeliverable(index: number, why: NonNullable<SessionRecipient['undeliverable']>): Promise<void> {
    if (!this.#state || isSettled(this.#state)) return;
    await this.#transition(withRecipient(index, (recipient) => ({ ...recipient, undeliverable: why })));
    const recipients = this.#state?.recipients ?? [];
    if (!recipients.every((recipient) => recipient.undeliverable)) return;
    const overBudget = recipients.find((recipient) => recipient.undeliverable?.reason === 'budget');
    await this.#transition(overBudget ? markOverBudget(overBudget.undeliverable!.retryAfterSeconds ?? 60) : markFailed);
  }

  /** Pushes to every device at once; true when at least one provider accepted it. Devices whose token is gone are deactivated. */
  async #push(input: RecipientStart, index: number): Promise<boolean> {
    const state = this.#state!;
    const sessionId = this.ctx.id.toString();
    let sender;
    try {
      sender = pushSenderFor(this.env);
    } catch (error) {
      logEvent('error', 'push.not_possible', { session: sessionId.slice(0, 8), error: errorText(error) });
      return false;
    }
    if (!sender) return false;
    const { matchChoices, context, ...request } = this.#appRequest(state, 'en');
    const message: PushMessage = {
      ...request,
      ...(matchChoices && { matchChoices }),
      context: { requestedAtMs: context.requestedAtMs, ...(context.location && { location: context.location }) },
    };
    const results = await Promise.allSettled(
      input.devices.map((device) => sender.send({ deviceId: device.id, platform: device.platform, pushToken: device.pushToken }, message)),
    );
    const db = database(this.env.DB);
    const delivered = input.devices.filter((_, i) => results[i]!.status === 'fulfilled');
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      const device = input.devices[i]!;
      const detail = result.reason instanceof DeliveryError ? result.reason.message : String(result.reason);
      logEvent('error', 'push.failed', { session: sessionId.slice(0, 8), deviceId: device.id.slice(0, 8), msisdn: state.recipients[index]?.msisdnMasked, error: detail });
      // The provider says the app is gone (uninstalled, token revoked): stop pushing to it.
      if (result.reason instanceof DeviceGoneError) this.ctx.waitUntil(removeDevice(this.env, db, device.id).catch(() => null));
    });
    if (!delivered.length) return false;
    this.ctx.waitUntil(
      (async () => {
        // So the app can fetch the request if the notification is lost; the answer does not wait for this.
        await recordPushSession(db, { sessionId, phoneKey: input.phoneKey, deadlineMs: state.deadlineMs });
        // A device deactivated just before this push (another isolate's device list may be seconds old)
        // found no session to tell: now that this one is listed, look for itself.
        const remaining = await existingDeviceIds(db, delivered.map((device) => device.id));
        for (const device of delivered) if (!remaining.has(device.id)) await this.deviceDeactivated(device.id);
      })().catch((error: unknown) => {
        logEvent('error', 'push.pending_pull_not_recorded', { session: sessionId.slice(0, 8), error: errorText(error) });
      }),
    );
    return true;
  }

  /**
   * A device this session was pushed to has been deactivated: it can no longer answer. When none is
   * left, the session goes on by SMS at once, so the person can still answer (never a silent TIMEOUT).
   */
  async deviceDeactivated(deviceId: string): Promise<void> {
    return this.#track(async () => {
      const state = this.#state;
      if (!state || isSettled(state)) return;
      const index = recipientWithDevice(state, deviceId);
      if (index === -1 || state.recipients[index]!.channel !== 'push') return;
      await this.#transition(withRecipient(index, (recipient) => ({ ...recipient, devices: recipient.devices.filter((device) => device.id !== deviceId) })));
      if (this.#state?.recipients[index]?.devices.length === 0) await this.#fallBackToSms(index);
    });
  }

  async #fallBackToSms(index: number): Promise<void> {
    const fallback = this.#state?.recipients[index]?.smsFallback;
    if (!fallback) return;
    const sessionId = this.ctx.id.toString();
    const msisdn = await decryptMsisdn(this.env, fallback.msisdnEncrypted);
    // A new link: the session's first secret was never sent (it started by push).
    const secret = randomSecret(LINK_SECRET_BYTES);
    const linkSecretHash = await sha256Hex(secret);
    if (!this.#state || isSettled(this.#state) || this.#state.recipients[index]?.channel !== 'push') return; // answered or moved on meanwhile
    if (!msisdn) {
      logEvent('error', 'session.sms_fallback_failed', { session: sessionId.slice(0, 8), error: 'the number could not be decrypted' });
      return this.#markUndeliverable(index, { reason: 'delivery' });
    }
    logEvent('info', 'session.sms_fallback', { session: sessionId.slice(0, 8), why: 'every device deactivated' });
    await this.#transition(withRecipient(index, ({ smsFallback: _fallback, ...current }) => ({ ...current, channel: 'sms', linkSecretHash })));
    if (!this.#state.recipients.some((recipient) => recipient.channel === 'push')) this.ctx.waitUntil(deletePushSession(database(this.env.DB), sessionId).catch(() => undefined));
    const sent = await this.#sendSms(
      index,
      { msisdn, linkOrigin: fallback.linkOrigin, messages: this.#state.messages, offerActivation: false, smsBudget: fallback.smsBudget, smsBudgetMinute: null },
      secret,
    );
    if (sent !== 'sent') await this.#markUndeliverable(index, sent);
  }

  async #sendSms(index: number, input: SmsDelivery, secret: string, except: readonly string[] = []): Promise<SmsResult> {
    // A recipient that started by push takes its SMS from the budget now; one that started by SMS has it from the Worker.
    let budgetMinute = input.smsBudgetMinute;
    if (budgetMinute === null) {
      const budget = await takeSmsBudget(this.env, input.smsBudget);
      if (!budget.allowed) return { reason: 'budget', retryAfterSeconds: budget.retryAfterSeconds };
      budgetMinute = budget.minute;
    }
    const sessionId = this.ctx.id.toString();
    const locale = localeForMsisdn(input.msisdn);
    const link = `${input.linkOrigin}/l/${sessionId}/${secret}`;
    let text = smsBody(withBuiltInTexts(input.messages, locale, this.#assistedTexts()).smsText, link);
    // A number without the app gets a link to activate it, when the profile says so; it is stored
    // while the SMS is on its way (the person needs seconds to open it), so the SMS waits for nothing.
    const activation = input.offerActivation ? await prepareActivation(this.env, input.msisdn, input.linkOrigin, new Date(), { via: 'sign-in-sms', by: null }) : null;
    if (activation) text = `${text}\n${activationSmsLine(locale, activation.url)}`;
    const storing = activation?.store(database(this.env.DB)).catch((error: unknown) => {
      logEvent('error', 'activation.not_stored', { session: sessionId.slice(0, 8), error: errorText(error) });
    });
    const session = sessionId.slice(0, 8);
    // The provider reports to a URL only it and this session know; the session keeps its hash.
    const reportToken = randomSecret(REPORT_TOKEN_BYTES);
    const reportUrl = (provider: string) => `${input.linkOrigin}/api/sfwa/delivery/${provider}/${sessionId}/${reportToken}`;
    // No usable provider at all is a failed send like any other (logged, budget released).
    const providers = (() => {
      try {
        return smsSenderFor(this.env);
      } catch (error) {
        return { names: [], send: () => Promise.reject(error) };
      }
    })();
    const [sending, reportTokenHash, msisdnEncrypted] = await Promise.allSettled([
      providers.send({ to: input.msisdn, text, link, reportUrl, ...(this.#state?.smsSender && { from: this.#state.smsSender }) }, except),
      sha256Hex(reportToken),
      // Kept sealed only where a failed delivery could go again by another provider.
      providers.names.length > 1 ? encryptMsisdn(this.env, input.msisdn) : Promise.reject(new Error('one provider: no resend')),
    ]);
    await storing;
    if (sending.status === 'rejected') {
      const error: unknown = sending.reason;
      logEvent('error', 'sms.failed', { session, to: this.#state?.recipients[index]?.msisdnMasked, error: error instanceof DeliveryError ? error.message : errorText(error) });
      // Not sent, so not spent.
      this.ctx.waitUntil(releaseSmsBudget(this.env, input.smsBudget.profileId, budgetMinute).catch(() => undefined));
      return { reason: 'delivery' };
    }
    const sent = sending.value;
    logEvent('info', 'sms.sent', { session, provider: sent.provider, ...(sent.failedOver.length && { failedOver: sent.failedOver }) });
    if (reportTokenHash.status === 'fulfilled') {
      const tried = [...except, ...sent.failedOver.map((failure) => failure.provider), sent.provider];
      const sms = { provider: sent.provider, reportTokenHash: reportTokenHash.value, tried, smsBudget: input.smsBudget, ...(msisdnEncrypted.status === 'fulfilled' && { msisdnEncrypted: msisdnEncrypted.value }) };
      await this.#transition(withRecipient(index, (recipient) => ({ ...recipient, sms })));
    }
    return 'sent';
  }

  /**
   * An SMS provider's report on a message this session sent, found by its URL token. A failure while
   * the session waits sends the link again by a provider not tried yet, once per provider; with none
   * left, the recipient is undeliverable (and the session DELIVERY_FAILED at once when it was the last).
   */
  async deliveryReport(provider: string, token: string, report: DeliveryReport): Promise<DeliveryReportResult> {
    return this.#track(async () => {
      if (!this.#state) return 'unknown';
      const tokenHash = await sha256Hex(token);
      const index = this.#state.recipients.findIndex((recipient) => recipient.sms?.provider === provider && timingSafeEqualText(recipient.sms.reportTokenHash, tokenHash));
      const sms = this.#state.recipients[index]?.sms;
      if (!sms) return 'unknown';
      if (report.status === 'pending') return 'ignored';
      if (sms.delivery) return 'replayed';
      const delivery = { status: report.status, atMs: Date.now(), provider };
      const session = this.ctx.id.toString();
      logEvent(report.status === 'delivered' ? 'info' : 'warn', 'sms.delivery', { session: session.slice(0, 8), provider, status: report.status, providerStatus: report.providerStatus });
      await this.#transition(withRecipient(index, (recipient) => ({ ...recipient, sms: { ...sms, delivery } })));
      const state = this.#state;
      if (isSettled(state)) {
        // The entry is in D1 already (or still owed, and then written with this): it gets the report too.
        if (!state.logPending && (state.answeredRecipient ?? 0) === index) {
          this.ctx.waitUntil(recordAuthLogDelivery(database(this.env.DB), session, delivery).catch((error: unknown) => logEvent('error', 'auth_log.delivery_not_recorded', { session: session.slice(0, 8), error: errorText(error) })));
        }
        return 'recorded';
      }
      if (report.status === 'failed') await this.#resend(index, sms);
      return 'recorded';
    });
  }

  /** The SMS was not delivered: the same request, with a fresh link, by a provider not tried yet. */
  async #resend(index: number, sms: NonNullable<SessionRecipient['sms']>): Promise<void> {
    const msisdn = sms.msisdnEncrypted ? await decryptMsisdn(this.env, sms.msisdnEncrypted) : null;
    if (!msisdn) return this.#markUndeliverable(index, { reason: 'delivery' });
    const secret = randomSecret(LINK_SECRET_BYTES);
    const linkSecretHash = await sha256Hex(secret);
    const state = this.#state;
    if (!state || isSettled(state) || !state.linkOrigin) return;
    await this.#transition(withRecipient(index, (recipient) => ({ ...recipient, linkSecretHash })));
    logEvent('info', 'sms.resend', { session: this.ctx.id.toString().slice(0, 8), after: sms.provider, tried: sms.tried });
    const sent = await this.#sendSms(
      index,
      { msisdn, linkOrigin: state.linkOrigin, messages: state.messages, offerActivation: false, smsBudget: sms.smsBudget, smsBudgetMinute: null },
      secret,
      sms.tried,
    );
    if (sent !== 'sent') await this.#markUndeliverable(index, sent);
  }

  /** The values for the approver's texts ({user}, {endpoint}); null for a plain sign-in. */
  #assistedTexts(): { user: string; endpoint: string } | null {
    const state = this.#state;
    return state?.assisted ? { user: state.assisted.userName, endpoint: state.profileName } : null;
  }

  /**
   * The Worker's wait for the outcome, over a WebSocket the object accepts with the Hibernation API:
   * once this returns, no request is in flight, so the object may leave memory (and is not billed)
   * while the person decides. The settling transition, in whatever later event it happens (a link's
   * decision, a device's, a cancel, the alarm), sends the outcome on every such socket and closes it.
   * Settled or unknown sessions answer at once, without a socket (200 with the outcome, 404).
   */
  async fetch(request: Request): Promise<Response> {
    return this.#track(async () => {
      if (!this.#state) return Response.json({ missing: true }, { status: 404 });
      await this.#transition(expireIfDue);
      if (isSettled(this.#state)) return Response.json(sessionOutcomeOf(this.#state));
      if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('a pending session is waited on over a WebSocket', { status: 426 });
      const { 0: client, 1: server } = new WebSocketPair();
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client });
    });
  }

  /** The Worker hung up (its caller left, or it gave up): nothing to do but finish the close. */
  async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    return this.#track(async () => {
      try {
        socket.close(code === 1005 || code === 1006 ? 1000 : code, 'closed');
      } catch {
        // Already closed.
      }
    });
  }

  async webSocketError(socket: WebSocket): Promise<void> {
    await this.webSocketClose(socket, 1011);
  }

  /** Resolves with the settled status (the older wait, a request held in flight: the object stays in memory); tests and the benchmark use it. */
  async wait(): Promise<SessionOutcome | 'missing'> {
    return this.#track(async () => {
      if (!this.#state) return 'missing';
      await this.#transition(expireIfDue);
      if (isSettled(this.#state)) return sessionOutcomeOf(this.#state);
      return new Promise((resolve) => this.#waiters.add(resolve));
    });
  }

  /** Where the session stands, for its status route: which profile started it, its outcome so far and its deadline. */
  async status(): Promise<SessionStatusView | 'missing'> {
    return this.#track(async () => {
      if (!this.#state) return 'missing';
      await this.#transition(expireIfDue);
      return { profileId: this.#state.profileId ?? null, deadlineMs: this.#state.deadlineMs, outcome: sessionOutcomeOf(this.#state) };
    });
  }

  /** The page's view of the session, or null when the secret does not match. Never changes anything. */
  async view(secret: string): Promise<LinkView | null> {
    return this.#track(async () => {
      if ((await this.#recipientOfSecret(secret)) === -1) return null;
      await this.#transition(expireIfDue);
      return this.#view();
    });
  }

  /**
   * Records the link page's decision; `decidedNow` is false when the session was already settled.
   * `locale` is the language the page showed its texts in: the receipt's textsHash is of those.
   */
  async decide(secret: string, decision: Decision, pickedMatch?: string, locale?: Locale): Promise<LinkDecision | null> {
    return this.#track(async () => {
      const recipient = await this.#recipientOfSecret(secret);
      if (recipient === -1) return null;
      const wasPending = this.#state?.status === 'pending';
      // An approver cannot say "this wasn't me" about someone else's sign-in: it counts as a rejection.
      const counted = decision === 'report' && this.#state?.assisted ? 'reject' : decision;
      await this.#transition(answeredBy('link', recipient, (state, nowMs) => decide(state, counted, nowMs, pickedMatch), locale ? { answerLocale: locale } : {}));
      const view = this.#view();
      return view && { ...view, reason: this.#state!.reason, decidedNow: wasPending && (view.status === 'accepted' || view.status === 'rejected') };
    });
  }

  /**
   * A device's signed decision. Only a device the session was pushed to may answer (so no other
   * number's device can), within the allowed clock skew, with a signature over this session's id,
   * its own id, the decision, the picked number and the timestamp, made with the key it still has
   * in D1 (so a device deactivated or activated again with a new key since the push is refused).
   * The first valid answer wins; the same signed answer again is a replay, any later one finds the
   * session already answered.
   */
  async decideFromDevice(answer: DeviceDecision): Promise<DeviceDecisionResult> {
    return this.#track(async () => {
      const state = this.#state;
      if (!state) return { result: 'refused', reason: 'missing' };
      const recipient = recipientWithDevice(state, answer.deviceId);
      const device = state.recipients[recipient]?.devices.find((candidate) => candidate.id === answer.deviceId);
      if (!device) return { result: 'refused', reason: 'not-for-this-device' };
      const nowMs = Date.now();
      if (!Number.isSafeInteger(answer.timestamp) || isStale(answer.timestamp, nowMs)) return { result: 'refused', reason: 'stale' };
      const text = decisionSignedText(this.ctx.id.toString(), answer);
      if (text === null) return { result: 'refused', reason: 'bad-signature' };
      const [signed, current, pushedTextsHash] = await Promise.all([
        verifyDeviceSignature(device.publicKey, text, answer.signature),
        findDevice(database(this.env.DB), answer.deviceId),
        answer.textsHash === undefined ? null : shownTextsHash(shownTextsOf(this.#appMessages(state, 'en'))),
      ]);
      if (!signed) return { result: 'refused', reason: 'bad-signature' };
      // v2: the app signed the hash of what it showed; anything but what was pushed is not this request.
      if (pushedTextsHash !== null && answer.textsHash !== pushedTextsHash) return { result: 'refused', reason: 'texts-mismatch' };
      if (!current || !sameKey(current.publicKey, device.publicKey)) return { result: 'refused', reason: 'device-revoked' };
      if (state.answeredBy === answer.deviceId && state.answerSignature === answer.signature) return { result: 'refused', reason: 'replayed' };
      if (isSettled(this.#state!)) return { result: 'already-answered', status: this.#state!.status };
      const counted = answer.decision === 'report' && state.assisted ? 'reject' : answer.decision;
      const proof = { answerSignature: answer.signature, ...(answer.textsHash !== undefined && { answerSignedAtMs: answer.timestamp }) };
      await this.#transition(answeredBy(answer.deviceId, recipient, (current, at) => decide(current, counted, at, answer.matchCode), proof));
      return { result: 'decided', status: this.#state!.status };
    });
  }

  /** The request as the app shows it, while it waits for this device's answer; null otherwise. */
  async appRequest(deviceId: string): Promise<AppRequest | null> {
    return this.#track(async () => {
      await this.#transition(expireIfDue);
      const state = this.#state;
      if (!state || isSettled(state) || recipientWithDevice(state, deviceId) === -1) return null;
      return this.#appRequest(state, 'en');
    });
  }

  /** The session's texts with built-in ones filled in, in `locale`: what the app (en) or a page shows. */
  #appMessages(state: SessionState, locale: Locale): UserMessages {
    return withBuiltInTexts(state.messages, locale, this.#assistedTexts());
  }

  #appRequest(state: SessionState, locale: Locale): AppRequest {
    const messages = this.#appMessages(state, locale);
    return {
      sessionId: this.ctx.id.toString(),
      title: messages.titleText,
      body: messages.authenticationText,
      acceptLabel: messages.buttonAcceptText,
      rejectLabel: messages.buttonRejectText,
      profileName: state.profileName,
      deadlineMs: state.deadlineMs,
      matchRequired: state.matchCode !== null,
      matchChoices: state.matchChoices,
      context: state.context,
    };
  }

  /**
   * A synchronous caller with an Idempotency-Key hung up: it may be about to retry. The alarm looks
   * again after `graceMs` and cancels the session then, unless a caller waits on it by that time.
   */
  async abandoned(graceMs: number): Promise<void> {
    return this.#track(async () => {
      if (!this.#state || isSettled(this.#state)) return;
      this.#state = { ...this.#state, abandonCheckAtMs: Date.now() + graceMs };
      await this.ctx.storage.put(STATE_KEY, this.#state);
      await this.ctx.storage.setAlarm(Math.min(this.#state.deadlineMs, this.#state.abandonCheckAtMs!));
    });
  }

  /** Whether a caller waits on the session now: an open socket, or (the benchmark's older wait) a held RPC. */
  #waitedOn(): boolean {
    return this.#waiters.size > 0 || this.ctx.getWebSockets().some((socket) => socket.readyState === WebSocket.OPEN);
  }

  /** The calling app went away: the link stops working. */
  async cancel(): Promise<SessionOutcome | 'missing'> {
    return this.#track(async () => {
      if (!this.#state) return 'missing';
      await this.#transition(cancel);
      return sessionOutcomeOf(this.#state);
    });
  }

  /**
   * The deadline (times a pending session out); once settled, the callback's retries and a retry of a
   * failed log write, then the end of retention (forgets the session).
   */
  async alarm(): Promise<void> {
    return this.#track(async () => {
      if (!this.#state) return;
      if (!isSettled(this.#state)) {
        await this.#transition(expireIfDue);
        const checkAtMs = this.#state.abandonCheckAtMs;
        if (!isSettled(this.#state) && checkAtMs && checkAtMs <= Date.now()) {
          this.#state = { ...this.#state, abandonCheckAtMs: null };
          await this.ctx.storage.put(STATE_KEY, this.#state);
          // Nobody came back after the hang-up: as without a key, the link stops working.
          if (!this.#waitedOn()) await this.#transition(cancel);
        }
        if (!isSettled(this.#state)) await this.ctx.storage.setAlarm(Math.min(this.#state.deadlineMs, this.#state.abandonCheckAtMs ?? Infinity));
        return;
      }
      await this.#sendCallback();
      // A failed log write is retried on every alarm until the session is forgotten; then its entry is given up.
      await this.#writeLogEntry();
      if (this.#state && Date.now() >= this.#forgetAtMs(this.#state)) {
        await this.ctx.storage.deleteAll();
        this.#state = undefined;
        return;
      }
      await this.#scheduleAlarm();
    });
  }

  #forgetAtMs(state: SessionState): number {
    return (state.settledAtMs ?? 0) + SESSION_RETENTION_SECONDS * 1000;
  }

  /** A settled session's next alarm: the callback's next try, a log write owed (in 30 s), or the end of retention, whichever comes first. */
  async #scheduleAlarm(): Promise<void> {
    const state = this.#state;
    if (!state || !isSettled(state)) return;
    const due = [this.#forgetAtMs(state)];
    // A try in flight is looked at again only once it must have timed out (the object may die while it waits).
    if (state.callback?.status === 'pending' && state.callback.nextAtMs !== null) due.push(this.#sendingCallback ? Date.now() + CALLBACK_TIMEOUT_MS + 1000 : state.callback.nextAtMs);
    if (state.logPending && this.#logWriteFailed) due.push(Date.now() + AUTH_LOG_WRITE_RETRY_SECONDS * 1000);
    await this.ctx.storage.setAlarm(Math.min(...due));
  }

  /**
   * POSTs the outcome to the caller's callback-url when a try is due, signed with the profile's callback
   * secret; a failed try (network, timeout, redirect, any status but 2xx) is retried from the alarm on
   * CALLBACK_RETRY_DELAYS_SECONDS, for up to an hour. The profile is read at each try, so a host taken
   * off its list, or a secret deleted, stops the callback: nothing is sent to a host no longer allowed.
   */
  async #sendCallback(): Promise<void> {
    const state = this.#state;
    const callback = state?.callback;
    if (!state || !callback || callback.status !== 'pending' || callback.nextAtMs === null || callback.nextAtMs > Date.now() || this.#sendingCallback) return;
    this.#sendingCallback = true;
    const session = this.ctx.id.toString();
    const url = new URL(callback.url);
    const attempt = callback.attempts + 1;
    const startedMs = Date.now();
    try {
      const settings = state.profileId === undefined ? null : await findCallbackSettings(database(this.env.DB), state.profileId);
      const secret = settings?.secretSealed ? await openCallbackSecret(this.env, settings.secretSealed) : null;
      const refusal = !settings ? 'the endpoint is gone' : !isAllowedHost(url, settings.profile.callbackHosts) ? 'the host is no longer among the endpoint\'s callback hosts' : !secret ? 'the endpoint has no callback secret' : null;
      if (refusal || !settings || !secret) {
        logEvent('warn', 'callback.refused', { session: session.slice(0, 8), host: url.host, why: refusal });
        return await this.#updateCallback({ ...callback, nextAtMs: null, status: 'refused' });
      }
      const body = JSON.stringify(callbackBody(session, settings.profile, state));
      let result: { status?: number; error?: string };
      // A timer cleared once answered (AbortSignal.timeout's would outlive the try and keep the object awake).
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error('timed out')), CALLBACK_TIMEOUT_MS);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'sfwa-edge-callback/1', 'x-sfwa-attempt': String(attempt), ...(await signatureHeaders(secret, body)) },
          body,
          // A redirect would carry the signed outcome to a host the allow-list does not name.
          redirect: 'manual',
          signal: abort.signal,
        });
        await response.body?.cancel();
        result = { status: response.status };
      } catch (error) {
        result = { error: errorText(error) };
      } finally {
        clearTimeout(timer);
      }
      const delivered = result.status !== undefined && result.status >= 200 && result.status < 300;
      const nextAtMs = delivered ? null : nextCallbackAttemptMs(attempt, Date.now());
      const outcome = delivered ? 'delivered' : nextAtMs === null ? 'failed' : 'retrying';
      const line = { session: session.slice(0, 8), host: url.host, attempt, outcome, ...result, ms: Date.now() - startedMs, ...(nextAtMs !== null && { retryInSeconds: Math.round((nextAtMs - Date.now()) / 1000) }) };
      logEvent(delivered ? 'info' : 'warn', 'callback.attempt', line);
      this.#sendingCallback = false;
      await this.#updateCallback({ ...callback, attempts: attempt, nextAtMs, status: delivered ? 'delivered' : nextAtMs === null ? 'failed' : 'pending' });
    } finally {
      this.#sendingCallback = false;
    }
  }

  async #updateCallback(callback: CallbackState): Promise<void> {
    if (!this.#state) return;
    this.#state = { ...this.#state, callback };
    await this.ctx.storage.put(STATE_KEY, this.#state);
    await this.#scheduleAlarm();
  }

  /** Which recipient's link this secret opens, or -1. Every hash is compared, in constant time each. */
  async #recipientOfSecret(secret: string): Promise<number> {
    const hash = await sha256Hex(secret);
    const matches = (this.#state?.recipients ?? []).map((recipient) => timingSafeEqualText(hash, recipient.linkSecretHash));
    return matches.indexOf(true);
  }

  #view(): LinkView | null {
    if (!this.#state) return null;
    const { status, messages, profileName, deadlineMs, matchChoices, context, assisted } = this.#state;
    return { status, messages, profileName, deadlineMs, matchChoices, context, assisted };
  }

  /**
   * Runs one request or handler. In local development, for a session the benchmark started with
   * `x-bench-busy`, it also adds up the time during which any is running (what a Durable Object is
   * billed for; a hibernated socket is not), stored so an eviction keeps it: `npm run bench` reads it
   * to compare the ways of waiting.
   */
  async #track<T>(work: () => Promise<T>): Promise<T> {
    if (!isLocalDev(this.env)) return work();
    if (this.#running++ === 0) this.#busySinceMs = performance.now();
    try {
      return await work();
    } finally {
      // Stored only for the sessions the benchmark asked it of: the storage it takes is not the session's own work.
      if (--this.#running === 0 && this.#state?.trackBusy) {
        const busyMs = performance.now() - this.#busySinceMs;
        await this.ctx.storage.put(BUSY_KEY, ((await this.ctx.storage.get<number>(BUSY_KEY)) ?? 0) + busyMs);
      }
    }
  }

  /** Local development only: the busy time #track recorded, in ms (null elsewhere). */
  async busyMs(): Promise<number | null> {
    return isLocalDev(this.env) ? ((await this.ctx.storage.get<number>(BUSY_KEY)) ?? 0) : null;
  }

  /** Applies a pure transition; on a change, stores it, answers the waiters and schedules the clean-up. */
  async #transition(step: (state: SessionState, nowMs: number) => SessionState): Promise<void> {
    let next: SessionState;
    let nowMs: number;
    let settlesNow = false;
    for (;;) {
      const current = this.#state;
      if (!current) return;
      nowMs = Date.now();
      next = step(current, nowMs);
      if (next === current) return;
      // Settling is the once-only step; a change to a settled session (a delivery report) is only stored.
      settlesNow = !isSettled(current) && isSettled(next);
      if (!settlesNow) break;
      const receipt = await this.#receipt(next);
      // Signing let other calls in: when one changed the session meanwhile, the step applies to what it is now.
      if (this.#state !== current) continue;
      if (receipt) next = { ...next, receipt };
      break;
    }
    this.#state = next;
    await this.ctx.storage.put(STATE_KEY, next);
    if (settlesNow) {
      // Started first, so the alarm set next already sees a try in flight.
      if (next.callback) this.ctx.waitUntil(this.#sendCallback());
      // The waiting callers are answered first: what they are sent leaves once the state above is stored (the output gate).
      const outcome = sessionOutcomeOf(next);
      for (const resolve of this.#waiters) resolve(outcome);
      this.#waiters.clear();
      for (const socket of this.ctx.getWebSockets()) {
        try {
          socket.send(JSON.stringify(outcome));
          socket.close(1000, 'settled');
        } catch {
          // The Worker went away meanwhile; it asks again if it still waits.
        }
      }
      await this.#scheduleAlarm();
      this.#recordAnalytics(next);
      // No longer pending: the app's pending pull need not find it (and its slots stay for open ones).
      if (next.recipients.some((recipient) => recipient.channel === 'push')) this.ctx.waitUntil(deletePushSession(database(this.env.DB), this.ctx.id.toString()).catch(() => undefined));
      // "This wasn't me": the number is blocked for the profile, whoever waits for the answer (or nobody, when started async).
      if (next.reason === 'unexpected' && next.blockOnReport && next.profileId !== undefined) {
        const { phoneKey, minutes } = next.blockOnReport;
        this.ctx.waitUntil(blockNumber(this.env.KV, next.profileId, phoneKey, minutes, nowMs).catch(() => undefined));
      }
      // After the answers: a slow or failing D1 write never delays a caller or changes the outcome (nor does the callback).
      this.ctx.waitUntil(this.#writeLogEntry());
    }
  }

  /**
   * The receipt of a session settling into `state`: the claims with the hash of the texts the answering
   * person was shown (the page's language, the pushed texts, or with nobody answering what was offered:
   * the app's English texts for a push, the SMS's language for a link). Null without a signing key or
   * for a failed session; a signing error is logged and the session settles all the same.
   */
  async #receipt(state: SessionState): Promise<string | null> {
    try {
      const shown = state.recipients[state.answeredRecipient ?? 0];
      if (!shown) return null;
      const locale = state.answerLocale ?? (shown.channel === 'push' ? 'en' : localeForMsisdn(shown.msisdnMasked));
      const hash = await shownTextsHash(shownTextsOf(this.#appMessages(state, locale)));
      const by = state.answeredBy === 'link' ? 'page' : state.answerSignedAtMs !== undefined ? 'device' : 'service';
      const claims = receiptClaims(this.ctx.id.toString(), state, { hash, by });
      return claims && (await signReceipt(this.env, claims));
    } catch (error) {
      logEvent('error', 'receipt.signing_failed', { session: this.ctx.id.toString().slice(0, 8), error: errorText(error) });
      return null;
    }
  }

  /**
   * Writes the log entry the settled session owes (`logPending`, stored with the outcome, so a
   * reset cannot lose it). True when nothing is owed any more; on failure the alarm retries in 30 s.
   */
  /** One Analytics Engine data point, when the optional binding is there; a failure to write it changes nothing. */
  #recordAnalytics(state: SessionState): void {
    const point = this.env.ANALYTICS && settledDataPoint(state, this.env.PUSH_PROVIDER);
    if (!point) return;
    try {
      this.env.ANALYTICS!.writeDataPoint(point);
    } catch (error) {
      logEvent('warn', 'analytics.write_failed', { session: this.ctx.id.toString().slice(0, 8), error: errorText(error) });
    }
  }

  async #writeLogEntry(): Promise<boolean> {
    const entry = this.#state?.logPending ? logEntry(this.ctx.id.toString(), this.#state) : null;
    if (!entry) return true;
    try {
      await insertAuthLogEntry(database(this.env.DB), entry);
    } catch (error) {
      // D1's own error, not drizzle's wrapper, which repeats the query with its parameters.
      const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      logEvent('error', 'auth_log.write_failed', { session: entry.sessionId.slice(0, 8), error: detail });
      this.#logWriteFailed = true;
      await this.#scheduleAlarm();
      return false;
    }
    this.#logWriteFailed = false;
    if (!this.#state) return true; // forgotten while writing
    this.#state = { ...this.#state, logPending: false };
    await this.ctx.storage.put(STATE_KEY, this.#state);
    return true;
  }
}
