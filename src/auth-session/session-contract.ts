/**
 * What goes in and out of an AuthSession over RPC: the start it is given, the views and results it
 * answers. Types only, so src/env.ts and callers can name them without importing the object itself.
 */
import type { DevicePlatform } from '../domain/device';
import type { UserMessages } from '../domain/profile';
import type { SmsBudgetRef } from '../domain/sms-budget';
import type { PushMessage } from '../providers/push/push-message';
import type { AssistedRequest, BlockOnReport, Decision, RequestContext, SessionOutcome, SessionState, SessionStatus } from './session-state';

/** A companion-app device to push to (from D1, chosen by the Worker). */
export interface PushDevice {
  id: string;
  platform: DevicePlatform;
  pushToken: string;
  publicKey: JsonWebKey;
}

/** One phone to ask: the user's own, or an approver's. */
export interface RecipientStart {
  msisdn: string;
  /** HMAC of the number: finds the session again for the app's pending-request pull. */
  phoneKey: string;
  /** The number's activated devices when the profile prefers the app; empty means SMS. */
  devices: PushDevice[];
  /** The profile's "Enable plus activation links": an SMS to a number without the app carries an activation link. */
  offerActivation: boolean;
  /** The minute the Worker already took an SMS from the budget at (a recipient that starts by SMS), or null (push first). */
  smsBudgetMinute: number | null;
  /** Assisted login: the approver's id; null for a plain sign-in. */
  approver: string | null;
}

export interface SessionStart {
  /** Asked at once; the first answer from any of them settles the session. */
  recipients: RecipientStart[];
  /** The endpoint profile that started it: only its keys may read its status (a rename does not change the id). */
  profileId: number;
  profileName: string;
  tokenName: string;
  /** Request over profile texts; empty ones get built-in texts in the reader's language. */
  messages: UserMessages;
  timeoutSeconds: number;
  /** Origin the magic link points at, e.g. https://auth.example.com */
  linkOrigin: string;
  /** The profile's SMS sender; null: the deployment's. */
  smsSender?: string | null;
  /** Number matching: the two digits the calling app shows its user, or null. */
  matchCode: string | null;
  context: RequestContext;
  /** The profile's SMS budget: an SMS is sent only when it has room. */
  smsBudget: SmsBudgetRef;
  /** Assisted login: whose sign-in the approvers are asked about. */
  assisted: AssistedRequest | null;
  /** A plain sign-in on a profile that blocks reported numbers: the number's key and how long; null otherwise. */
  blockOnReport: BlockOnReport | null;
  /** The caller's callback-url (already checked against the profile's hosts), or null. */
  callback: { url: string } | null;
  /** Local development only: `npm run bench` asked for the object's busy time (`x-bench-busy`). */
  trackBusy?: boolean;
}

/** What the magic-link page and the app show; null from view()/decide() means the link is not valid. */
export interface LinkView {
  status: SessionStatus;
  messages: UserMessages;
  profileName: string;
  deadlineMs: number;
  /** The three numbers to pick from when number matching is on. */
  matchChoices: string[] | null;
  context: RequestContext;
  /** Assisted login: the approver decides about someone else's sign-in (the page offers no "this wasn't me"). */
  assisted: AssistedRequest | null;
}

/** What decide() answers for a valid link: the view after the decision, whether this call decided it, and why it settled. */
export type LinkDecision = LinkView & { decidedNow: boolean; reason: SessionState['reason'] };

/** A pending request as the companion app shows it (pending pull); built-in texts in English. */
export interface AppRequest extends Omit<PushMessage, 'context' | 'matchChoices'> {
  matchChoices: string[] | null;
  context: RequestContext;
}

/** A device's signed answer, as the app sends it. */
export interface DeviceDecision {
  deviceId: string;
  decision: Decision;
  matchCode?: string;
  /** Protocol v2: the SHA-256 (base64url) of the texts the app showed, part of the signed text. */
  textsHash?: string;
  timestamp: number;
  signature: string;
}

/** What start() answers: where the session stands, and its deadline. */
export type StartedSession = SessionOutcome & { deadlineMs: number };

export interface SessionStatusView {
  /** Null for a session started before profiles were recorded. */
  profileId: number | null;
  deadlineMs: number;
  outcome: SessionOutcome;
}

export type DeviceDecisionResult =
  | { result: 'decided'; status: SessionStatus }
  | { result: 'already-answered'; status: SessionStatus }
  | { result: 'refused'; reason: 'missing' | 'not-for-this-device' | 'device-revoked' | 'stale' | 'bad-signature' | 'texts-mismatch' | 'replayed' };

/** What a delivery report did: recorded it, acknowledged an intermediate status, or refused it (no such message, or recorded already). */
export type DeliveryReportResult = 'recorded' | 'ignored' | 'unknown' | 'replayed';
