/**
 * A receipt: what the service signs when a session settles, so the calling application can keep proof
 * of what was answered, by whom, and what the person was shown (README "Receipts"). Pure: the claims and
 * the exact text whose SHA-256 stands for "the texts shown"; signing is src/security/receipt-keys.ts.
 */
import type { UserMessages } from './profile';

/** The JWS header's `typ`: a receipt is not an access token, and a verifier can insist on this type. */
export const RECEIPT_TYPE = 'sfwa-receipt+jwt';

/**
 * The four texts of the decision screen (the magic-link page, or the app's request), as shown. They
 * may hold line breaks but never control characters (src/domain/display-text.ts), so U+001F (unit
 * separator) between them cannot occur in a text: the joined string is unambiguous in every language.
 */
export interface ShownTexts {
  title: string;
  body: string;
  acceptLabel: string;
  rejectLabel: string;
}

/** The decision screen's texts from a message set with its built-in texts filled in (withBuiltInTexts). */
export const shownTextsOf = (messages: UserMessages): ShownTexts => ({
  title: messages.titleText,
  body: messages.authenticationText,
  acceptLabel: messages.buttonAcceptText,
  rejectLabel: messages.buttonRejectText,
});

const UNIT_SEPARATOR = '\u001f';

/** What `textsHash` is the SHA-256 (base64url) of: the four texts in this order, UTF-8, joined by U+001F. */
export const shownTextsInput = (texts: ShownTexts): string => [texts.title, texts.body, texts.acceptLabel, texts.rejectLabel].join(UNIT_SEPARATOR);

/**
 * Who vouches for `textsHash`: `page` (the magic-link page rendered these texts in the language it was
 * shown in), `device` (the companion app signed this hash with its own key, protocol v2), or `service`
 * (what the service offered: a push answered with protocol v1, or nobody answered).
 */
export type TextsAttestation = 'page' | 'device' | 'service';

/** The outcome as the authentication log tells it: a receipt says CANCELLED where the API answers TIMEOUT. */
export type ReceiptOutcome = 'ACCEPT' | 'REJECT' | 'TIMEOUT' | 'CANCELLED';

/** The device that answered, with what it signed (v2), so its own signature can be checked against its key too. */
export interface ReceiptDevice {
  id: string;
  publicKey: JsonWebKey;
  /** Protocol v2: the device's signature and its timestamp (ms) over the v2 decision text; absent for v1. */
  signature?: string;
  signedAtMs?: number;
}

export interface ReceiptClaims {
  /** The service's public origin; `iat` is added when signing. */
  iss?: string;
  /** The session id (GET /api/sfwa/sessions/{sid}). */
  sid: string;
  endpoint: string;
  /** HMAC-SHA256 of the number that answered (or, when nobody did, of the first number asked), keyed by the deployment's PHONE_HASH_SECRET. */
  phone?: string;
  outcome: ReceiptOutcome;
  /** The answer's code, as the cloud dialect gives it (CANCELLED answers TIMEOUT). */
  code: 'ACCEPT' | 'REJECT' | 'TIMEOUT';
  channel: 'sms' | 'push';
  reason?: string;
  approver?: string | null;
  /** Assisted login: whose sign-in it was. */
  user?: string;
  device?: ReceiptDevice;
  requestedAt: string;
  settledAt: string;
  textsHash: string;
  textsBy: TextsAttestation;
}
