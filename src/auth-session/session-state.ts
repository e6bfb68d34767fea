/**
 * The authentication session's state machine, pure: pending -> accepted | rejected | timed_out |
 * cancelled | failed. Exactly one outcome: every transition starts from `pending`, so late or
 * repeated events leave a settled session as it is.
 */
import type { AuthChannel, AuthLogEntry, AuthLogOutcome, AuthLogReason } from '../domain/auth-log';
import type { CallbackBody, CallbackState } from '../domain/callback';
import type { Delivery } from '../domain/delivery-report';
import { dialectCode, type Dialect, type Outcome } from '../domain/dialect';
import type { UserMessages } from '../domain/profile';
import type { ReceiptClaims, TextsAttestation } from '../domain/receipt';
import type { SmsBudgetRef } from '../domain/sms-budget';
import type { Locale } from '../domain/texts';

export type SessionStatus = 'pending' | 'accepted' | 'rejected' | 'timed_out' | 'cancelled' | 'failed';
/** What a person answers: accept (with the number they picked when number matching is on), reject, or "this wasn't me". */
export type Decision = 'accept' | 'reject' | 'report';
export const DECISIONS = ['accept', 'reject', 'report'] as const satisfies readonly Decision[];

/** What the person deciding is told about the request, so an unexpected one stands out. */
export interface RequestContext {
  requestedAtMs: number;
  /** Approximate place of the calling application's request ("Stockholm, SE"), when the edge knows it. */
  location: string | null;
}

/** A companion-app device the session was pushed to: its id and the public key its answers must verify against. */
export interface TargetDevice {
  id: string;
  publicKey: JsonWebKey;
}

/**
 * One phone the request went to: the user's own, or with assisted login one per approver asked (the
 * first answer from any of them settles the session). Each has its own magic link and devices.
 */
export interface SessionRecipient {
  /** Assisted login: the approver's id; null for a plain sign-in. */
  approver: string | null;
  msisdnMasked: string;
  channel: AuthChannel;
  /** SHA-256 of this recipient's magic-link secret; the secret itself only ever exists in the SMS. */
  linkSecretHash: string;
  /** Devices that got the push; only they may answer, each with a signature. */
  devices: TargetDevice[];
  /**
   * A push recipient keeps what it needs to go on by SMS if every device it was pushed to is deactivated
   * while the session waits: the number (encrypted), the link's origin and the profile's SMS budget.
   */
  smsFallback?: { msisdnEncrypted: string; linkOrigin: string; smsBudget: SmsBudgetRef };
  /** HMAC of the number (PHONE_HASH_SECRET): the receipt's `phone` (absent in sessions stored before receipts). */
  phoneKey?: string;
  /** The SMS it was sent, once a provider took it: what its delivery report must match, and what a resend needs. */
  sms?: SentSms;
  /** Nothing reached this phone (the SMS failed or had no budget); the session fails once no recipient is left. */
  undeliverable?: { reason: 'delivery' | 'budget'; retryAfterSeconds?: number };
}

export interface SentSms {
  provider: string;
  /** SHA-256 of the token in its delivery report URL (the token itself is only in the provider's hands). */
  reportTokenHash: string;
  /** Every provider tried for this recipient so far: a resend after a failed delivery goes to another. */
  tried: string[];
  /** The number, sealed, and the profile's budget: a resend needs both. */
  msisdnEncrypted?: string;
  smsBudget: SmsBudgetRef;
  /** The provider's final report, once it came. */
  delivery?: Delivery;
}

/** Assisted login: whose sign-in it is ({user} in the approver's texts is `userName`; the log records `userId`). */
export interface AssistedRequest {
  userId: string;
  userName: string;
}

/** "This wasn't me" blocks the number (its HMAC key) for the profile this many minutes. */
export interface BlockOnReport {
  phoneKey: string;
  minutes: number;
}

export interface SessionState {
  status: SessionStatus;
  createdAtMs: number;
  deadlineMs: number;
  settledAtMs: number | null;
  /** The endpoint profile that started it (absent in sessions stored before it was recorded). */
  profileId?: number;
  /** The answering recipient's number and channel once answered, the first recipient's before: what the log shows. */
  msisdnMasked: string;
  profileName: string;
  tokenName: string;
  channel: AuthChannel;
  /** Why, beside the status: the user reported the request, or picked the wrong number, or the SMS budget was used up. */
  reason: AuthLogReason | null;
  /** With reason `budget`: seconds from settling until the budget has room again. */
  retryAfterSeconds?: number;
  recipients: SessionRecipient[];
  /** Number matching: the two digits the calling app shows, and the three numbers offered (the right one among them). */
  matchCode: string | null;
  matchChoices: string[] | null;
  context: RequestContext;
  /** Who decided: "link" (a magic-link page) or a device id; with a device, its signature, so the same answer sent again is seen as a replay. */
  answeredBy: string | null;
  /** Which recipient answered (an index into `recipients`). */
  answeredRecipient: number | null;
  answerSignature?: string;
  /** A link page's answer: the language its texts were shown in (the receipt's textsHash is of those texts). */
  answerLocale?: Locale;
  /** A device's answer in protocol v2: its signature's timestamp; the texts hash it signed is that of the pushed texts. */
  answerSignedAtMs?: number;
  /** The origin of the links: the receipt's issuer. */
  linkOrigin?: string;
  /** The profile's SMS sender (absent or null: the deployment's). */
  smsSender?: string | null;
  /** Local development only: the benchmark reads this session's busy time (AuthSession #track). */
  trackBusy?: boolean;
  /** The signed receipt, made once as the session settles (absent without a signing key, and for a failed session). */
  receipt?: string;
  assisted: AssistedRequest | null;
  blockOnReport?: BlockOnReport | null;
  /** A keyed synchronous caller hung up: when the alarm checks whether a retry came back (else it cancels). */
  abandonCheckAtMs?: number | null;
  /** The caller's callback-url and where its delivery stands (absent or null: no callback). */
  callback?: CallbackState | null;
  /** The session's log entry is owed: set when it settles, cleared once the entry is in D1. */
  logPending: boolean;
  /** Request over profile texts; empty ones are filled with built-in texts when shown. */
  messages: UserMessages;
}

/** The approver who answered, when one did. */
export const answeringApprover = (state: SessionState): string | null =>
  state.answeredRecipient === null ? null : (state.recipients[state.answeredRecipient]?.approver ?? null);

export const isSettled = (state: SessionState): boolean => state.status !== 'pending';

/** What the waiting API call learns when the session settles. */
export interface SessionOutcome {
  status: SessionStatus;
  channel: AuthChannel;
  reason: AuthLogReason | null;
  retryAfterSeconds?: number;
  /** Assisted login: the approver who answered. */
  approver?: string | null;
  /** The signed receipt (the cloud dialect's `receipt`). */
  receipt?: string;
}

export const sessionOutcomeOf = (state: SessionState): SessionOutcome => ({
  status: state.status,
  channel: state.channel,
  reason: state.reason,
  ...(state.retryAfterSeconds !== undefined && { retryAfterSeconds: state.retryAfterSeconds }),
  ...(state.assisted && { approver: answeringApprover(state) }),
  ...(state.receipt && { receipt: state.receipt }),
});

/** Records which recipient answered: the log and the answer then show its number, channel and approver. */
export function answeredFrom(state: SessionState, recipient: number): SessionState {
  const answering = state.recipients[recipient];
  if (!answering) return state;
  return { ...state, answeredRecipient: recipient, msisdnMasked: answering.msisdnMasked, channel: answering.channel };
}

function settle(state: SessionState, status: SessionStatus, nowMs: number, reason: AuthLogReason | null = null): SessionState {
  if (isSettled(state)) return state;
  // Settling makes the callback due at once.
  const callback = state.callback && { ...state.callback, nextAtMs: nowMs };
  return { ...state, status, reason, settledAtMs: nowMs, logPending: true, ...(callback && { callback }) };
}

/**
 * A decision counts only while pending and before the deadline; one after the deadline times the
 * session out. With number matching, Accept counts only with the right number: a wrong pick means
 * the person is not looking at the sign-in they are approving, so the session is rejected.
 */
export function decide(state: SessionState, decision: Decision, nowMs: number, pickedMatch?: string): SessionState {
  if (nowMs >= state.deadlineMs) return settle(state, 'timed_out', nowMs);
  if (decision === 'report') return settle(state, 'rejected', nowMs, 'unexpected');
  if (decision === 'reject') return settle(state, 'rejected', nowMs);
  if (state.matchCode !== null && pickedMatch !== state.matchCode) return settle(state, 'rejected', nowMs, 'match-mismatch');
  return settle(state, 'accepted', nowMs);
}

/** Three different two-digit numbers, the right one at a random place among them. */
export function matchChoices(matchCode: string, random: () => number = Math.random): string[] {
  const choices = new Set([matchCode]);
  while (choices.size < 3) choices.add(String(Math.floor(random() * 100)).padStart(2, '0'));
  const decoys = [...choices].slice(1);
  const at = Math.floor(random() * 3);
  return [...decoys.slice(0, at), matchCode, ...decoys.slice(at)];
}

export const expireIfDue = (state: SessionState, nowMs: number): SessionState =>
  nowMs >= state.deadlineMs ? settle(state, 'timed_out', nowMs) : state;

export const cancel = (state: SessionState, nowMs: number): SessionState => settle(state, 'cancelled', nowMs);

export const markFailed = (state: SessionState, nowMs: number): SessionState => settle(state, 'failed', nowMs);

/** No SMS could be sent: the profile's SMS budget is used up for `retryAfterSeconds`. */
export const markOverBudget =
  (retryAfterSeconds: number) =>
  (state: SessionState, nowMs: number): SessionState => {
    const next = settle(state, 'failed', nowMs, 'budget');
    return next === state ? state : { ...next, retryAfterSeconds };
  };

/** The authentication log's outcome for a settled session; unlike the API code it tells cancelled and failed apart. */
export function logOutcome(status: SessionStatus): AuthLogOutcome | null {
  switch (status) {
    case 'accepted':
      return 'ACCEPT';
    case 'rejected':
      return 'REJECT';
    case 'timed_out':
      return 'TIMEOUT';
    case 'cancelled':
      return 'CANCELLED';
    case 'failed':
      return 'DELIVERY_FAILED';
    case 'pending':
      return null;
  }
}

/** What the API answers for a settled session: a cancelled session answers TIMEOUT, a failed one has no outcome (delivery failed). */
export function sessionOutcome(status: SessionStatus): Outcome | null {
  const logged = logOutcome(status);
  if (logged === 'CANCELLED') return 'TIMEOUT';
  return logged === 'DELIVERY_FAILED' ? null : logged;
}

/** The code a settled session answers with, in the cloud API's words: a failed one is DELIVERY_FAILED or, out of SMS budget, RATE_LIMITED. */
export function outcomeCode(result: SessionOutcome): Outcome | 'DELIVERY_FAILED' | 'RATE_LIMITED' {
  if (result.reason === 'budget') return 'RATE_LIMITED';
  return sessionOutcome(result.status) ?? 'DELIVERY_FAILED';
}

/** The log entry a settled session owes; null while it is pending. */
export function logEntry(sessionId: string, state: SessionState): AuthLogEntry | null {
  const outcome = logOutcome(state.status);
  if (outcome === null || state.settledAtMs === null) return null;
  // (Sessions stored before recipients were recorded have none.)
  const delivery = state.recipients?.[state.answeredRecipient ?? 0]?.sms?.delivery;
  return {
    sessionId,
    startedAtMs: state.createdAtMs,
    endedAtMs: state.settledAtMs,
    profileName: state.profileName,
    tokenName: state.tokenName,
    msisdnMasked: state.msisdnMasked,
    channel: state.channel,
    outcome,
    reason: state.reason,
    durationMs: state.settledAtMs - state.createdAtMs,
    ...(state.assisted && { assistedUser: state.assisted.userId, approver: answeringApprover(state) }),
    ...(delivery && { delivery: delivery.status, deliveryAtMs: delivery.atMs }),
  };
}

/** What a settled session's callback POSTs: the code in the endpoint's dialect (the cloud one with channel, reason and approver). */
export function callbackBody(session: string, endpoint: { name: string; dialect: Dialect }, state: SessionState): CallbackBody {
  const outcome = sessionOutcomeOf(state);
  const base = { type: 'sfwa.outcome' as const, session, endpoint: endpoint.name, settledAt: new Date(state.settledAtMs ?? Date.now()).toISOString() };
  const code = dialectCode(endpoint.dialect, outcomeCode(outcome));
  if (endpoint.dialect === 'server') return { ...base, code };
  return {
    ...base,
    code,
    channel: outcome.channel,
    ...(outcome.reason && { reason: outcome.reason }),
    ...(state.assisted && { approver: outcome.approver ?? null }),
    ...(outcome.receipt && { receipt: outcome.receipt }),
  };
}

/**
 * What a settled session's receipt says (src/domain/receipt.ts), given the hash of the texts shown and
 * who vouches for it; null for a session that failed (no SMS went out: there is nothing to prove).
 */
export function receiptClaims(sessionId: string, state: SessionState, texts: { hash: string; by: TextsAttestation }): ReceiptClaims | null {
  const outcome = logOutcome(state.status);
  const code = sessionOutcome(state.status);
  if (outcome === null || outcome === 'DELIVERY_FAILED' || code === null || state.settledAtMs === null) return null;
  const answering = state.recipients[state.answeredRecipient ?? 0];
  const device = answering?.devices.find((candidate) => candidate.id === state.answeredBy);
  return {
    ...(state.linkOrigin && { iss: state.linkOrigin }),
    sid: sessionId,
    endpoint: state.profileName,
    ...(answering?.phoneKey && { phone: answering.phoneKey }),
    outcome,
    code,
    channel: state.channel,
    ...(state.reason && { reason: state.reason }),
    ...(state.assisted && { user: state.assisted.userId, approver: answeringApprover(state) }),
    ...(device && {
      device: {
        id: device.id,
        publicKey: device.publicKey,
        ...(state.answerSignedAtMs !== undefined && state.answerSignature && { signature: state.answerSignature, signedAtMs: state.answerSignedAtMs }),
      },
    }),
    requestedAt: new Date(state.createdAtMs).toISOString(),
    settledAt: new Date(state.settledAtMs).toISOString(),
    textsHash: texts.hash,
    textsBy: texts.by,
  };
}
