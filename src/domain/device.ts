/**
 * Companion-app devices and the app protocol's signed requests (docs/companion-app.md).
 * A device signs with the ECDSA P-256 key it generated at activation (SHA-256, the signature as
 * WebCrypto's IEEE P1363 r||s, base64url). What it signs is `signedText()`: fixed fields in a fixed
 * order, so the Worker rebuilds the same text and no JSON canonicalisation is needed.
 */
import * as z from './zod';
import { displayTextProblem } from './display-text';
import { msisdnSchema } from './msisdn';

export const DEVICE_PLATFORMS = ['android', 'ios', 'web'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

export const SIGNED_REQUEST_PURPOSES = ['decision', 'pending', 'deactivate'] as const;
export type SignedRequestPurpose = (typeof SIGNED_REQUEST_PURPOSES)[number];

/** A signed request's timestamp may differ from the Worker's clock by at most this much. */
export const SIGNATURE_MAX_SKEW_MS = 60_000;

/**
 * The text a device signs. decision: [sessionId, deviceId, decision, matchCode or ""];
 * pending: [deviceId]; deactivate: [deviceId].
 */
export const signedText = (purpose: SignedRequestPurpose, fields: readonly string[], timestampMs: number, version: 1 | 2 = 1): string =>
  [`sfwa-plus-v${version}`, purpose, ...fields, String(timestampMs)].join('\n');

/**
 * Protocol v1 decisions (without `textsHash`) are accepted until this moment (2027-07-01T00:00:00Z);
 * their answers say so in a `Sunset` header. After it, a decision must sign what the app showed.
 */
export const V1_DECISIONS_SUNSET_MS = Date.UTC(2027, 6, 1);
/** The same moment as a date, for messages and docs: "2027-07-01". */
export const V1_DECISIONS_SUNSET_DATE = new Date(V1_DECISIONS_SUNSET_MS).toISOString().slice(0, 10);

/**
 * The text a decision signs. v1: [sessionId, deviceId, decision, matchCode or ""]. v2 (with `textsHash`,
 * the SHA-256 of the texts the app showed, as in a receipt): the same fields, then textsHash, so a
 * receipt of a push approval proves what was on the screen. Null when a field holds a line break.
 */
export function decisionSignedText(sessionId: string, answer: { deviceId: string; decision: string; matchCode?: string; textsHash?: string; timestamp: number }): string | null {
  const fields = [sessionId, answer.deviceId, answer.decision, answer.matchCode ?? '', ...(answer.textsHash === undefined ? [] : [answer.textsHash])];
  if (fields.some((field) => field.includes('\n'))) return null;
  return signedText('decision', fields, answer.timestamp, answer.textsHash === undefined ? 1 : 2);
}

/** A timestamp too far from now, either way, is refused as stale. */
export const isStale = (timestampMs: number, nowMs: number): boolean => Math.abs(nowMs - timestampMs) > SIGNATURE_MAX_SKEW_MS;

/**
 * How a device was activated: with the link in a sign-in SMS, with a link an administrator had sent
 * by SMS to the number, in the local app simulator, or before this was recorded.
 */
export const ACTIVATION_VIAS = ['sign-in-sms', 'admin-sms', 'dev-simulator', 'unknown'] as const;
export type ActivationVia = (typeof ACTIVATION_VIAS)[number];

export interface Device {
  id: string;
  phoneKey: string;
  msisdnMasked: string;
  installationId: string;
  publicKey: JsonWebKey;
  platform: DevicePlatform;
  pushToken: string;
  label: string;
  lastSignedAtMs: number;
  createdAt: Date;
  lastSeenAt: Date | null;
  activatedVia: ActivationVia;
  /** With `admin-sms`: the administrator who had the link sent. */
  activatedBy: string | null;
}

// ---------------------------------------------------------------------------------------------
// Input schemas of the app protocol and the admin endpoints (zod), and their limits.

export const INSTALLATION_ID_MIN_LENGTH = 8;
export const INSTALLATION_ID_MAX_LENGTH = 64;
export const PUSH_TOKEN_MAX_LENGTH = 4096;
export const DEVICE_LABEL_MAX_LENGTH = 64;
/** Device ids: 16 random bytes, 22 base64url characters. */
export const DEVICE_ID_BYTES = 16;
/** Activation codes and deactivation codes (the link in an activation's notice): 128 random bits, 22 base64url characters; only their SHA-256 is stored. */
export const ACTIVATION_CODE_BYTES = 16;

const required = (what = 'a string') => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) });
const lengthBetween = (min: number, max: number) =>
  z.string(required()).check(z.minLength(min, min === 1 ? 'is required' : `must be at least ${min} characters`), z.maxLength(max, `must be at most ${max} characters`));

/** An EC P-256 coordinate: 32 bytes, base64url without padding (43 characters). */
const coordinateSchema = z.string(required()).check(z.regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, 'must be 32 bytes, base64url-encoded (43 characters)'));

/**
 * The device's public key as a JWK: kty EC, crv P-256, x and y. Other members WebCrypto's export adds
 * (key_ops, ext) are dropped; a private key (`d`) is refused, so it is never stored by mistake.
 */
export const devicePublicKeySchema = z.pipe(
  z.object(
    {
      kty: z.literal('EC', { error: 'must be "EC"' }),
      crv: z.literal('P-256', { error: 'must be "P-256"' }),
      x: coordinateSchema,
      y: coordinateSchema,
      d: z.optional(z.never({ error: 'must not be sent: it is the private key, which never leaves the device' })),
    },
    required('a JWK object (kty, crv, x, y)'),
  ),
  z.transform(({ kty, crv, x, y }: { kty: 'EC'; crv: 'P-256'; x: string; y: string }): JsonWebKey => ({ kty, crv, x, y })),
);

/** POST /api/plus/v1/activate */
export const deviceActivateSchema = z.object({
  code: lengthBetween(1, 128),
  installationId: lengthBetween(INSTALLATION_ID_MIN_LENGTH, INSTALLATION_ID_MAX_LENGTH).check(z.regex(/^[\x21-\x7e]+$/, 'may contain only visible ASCII characters, no spaces')),
  platform: z.enum(DEVICE_PLATFORMS, { error: `must be one of ${DEVICE_PLATFORMS.join(', ')}` }),
  pushToken: lengthBetween(1, PUSH_TOKEN_MAX_LENGTH),
  publicKey: devicePublicKeySchema,
  label: z.pipe(
    z.optional(
      z
        .string(required())
        .check(
          z.maxLength(DEVICE_LABEL_MAX_LENGTH, `must be at most ${DEVICE_LABEL_MAX_LENGTH} characters`),
          z.refine((label) => displayTextProblem(label, false) === null, 'may not contain control or bidirectional override characters'),
        ),
    ),
    z.transform((label: string | undefined) => label?.trim() ?? ''),
  ),
});
export type DeviceActivate = z.output<typeof deviceActivateSchema>;

/**
 * The three members every signed app request carries. A request with more (a decision) extends this
 * object; what is signed is always `signedText(purpose, fields, timestamp)`.
 */
export const signedRequestFields = {
  deviceId: lengthBetween(1, 64).check(z.regex(/^[A-Za-z0-9_-]+$/, 'must be a device id as returned by activation')),
  timestamp: z.number(required('a number (epoch milliseconds)')).check(z.int('must be a whole number of epoch milliseconds'), z.minimum(0, 'must be epoch milliseconds')),
  signature: lengthBetween(1, 256),
};
export const signedRequestSchema = z.object(signedRequestFields);
export type SignedRequest = z.output<typeof signedRequestSchema>;

/** A device's answer to a session; `report` is "this wasn't me"; `matchCode` is the number picked when number matching is on. */
export const deviceDecisionSchema = z.object({
  ...signedRequestFields,
  decision: z.enum(['accept', 'reject', 'report'], { error: 'must be one of accept, reject, report' }),
  matchCode: z.optional(z.string().check(z.regex(/^\d{2}$/, 'must be two digits'))),
  // Protocol v2: what the app showed, signed with the decision (see decisionSignedText).
  textsHash: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'must be the SHA-256 of the texts shown, base64url-encoded (43 characters)'))),
});

/** GET /admin/api/devices?msisdn= and POST /admin/api/devices/activations. */
export const deviceNumberSchema = z.strictObject({ msisdn: msisdnSchema });