/**
 * Companion-app devices and the app protocol's signed requests (docs/companion-app.md).
 * A device signs with the ECDSA P-256 key it generated at activation (SHA-256, the signature as
 * WebCrypto's IEEE P1363 r||s, base64url). What it signs is `signedText()`: fixed fields in a fixed
 * order, so the Worker rebuilds the same text and no JSON canonicalisation is needed.
 */
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
export const signedText = (purpose: SignedRequestPurpose, fields: readonly string[], timestampMs: number): string =>
  ['sfwa-plus-v1', purpose, ...fields, String(timestampMs)].join('\n');

/** A timestamp too far from now, either way, is refused as stale. */
export const isStale = (timestampMs: number, nowMs: number): boolean => Math.abs(nowMs - timestampMs) > SIGNATURE_MAX_SKEW_MS;

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
}
