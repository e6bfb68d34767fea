/**
 * authenticateSignedRequest() is the one check every signed app request goes through: the device
 * exists (read from D1, never a cache, so a deactivation counts at once), the timestamp is within
 * SIGNATURE_MAX_SKEW_MS of now, the signature verifies with the device's key (src/security/device-signature.ts),
 * and the timestamp is newer than the device's last accepted one (one conditional UPDATE, so a request
 * is never accepted twice).
 */
import { isStale, signedText, type Device, type SignedRequestPurpose } from '../domain/device';
import { verifyDeviceSignature } from '../security/device-signature';
import type { Database } from '../store/db';
import { advanceSignedAt, findDevice } from '../store/devices';

export type SignedRequestRefusal = 'unknown-device' | 'stale' | 'bad-signature' | 'replayed';
export type SignedRequestCheck = { ok: true; device: Device } | { ok: false; reason: SignedRequestRefusal };

/**
 * Authenticates a signed app request: `fields` are the purpose's fields in signedText()'s order
 * (decision: [sessionId, deviceId, decision, matchCode or ""]; pending and deactivate: [deviceId]).
 * On success the device's last signed timestamp has advanced to `timestamp`, and the device is
 * returned as it now is. Reasons are for the server log; callers answer every refusal alike (401).
 */
export async function authenticateSignedRequest(
  db: Database,
  request: { deviceId: string; timestamp: number; signature: string },
  purpose: SignedRequestPurpose,
  fields: readonly string[],
  nowMs: number,
): Promise<SignedRequestCheck> {
  const { deviceId, timestamp, signature } = request;
  const device = await findDevice(db, deviceId);
  if (!device) return { ok: false, reason: 'unknown-device' };
  // isStale() alone would let NaN through (every comparison with NaN is false).
  if (!Number.isSafeInteger(timestamp) || isStale(timestamp, nowMs)) return { ok: false, reason: 'stale' };
  // One field per line: a field with a line break could make one signed text read as other fields.
  if (fields.some((field) => field.includes('\n'))) return { ok: false, reason: 'bad-signature' };
  if (!(await verifyDeviceSignature(device.publicKey, signedText(purpose, fields, timestamp), signature))) return { ok: false, reason: 'bad-signature' };
  if (!(await advanceSignedAt(db, device.id, timestamp, nowMs))) return { ok: false, reason: 'replayed' };
  return { ok: true, device: { ...device, lastSignedAtMs: timestamp, lastSeenAt: new Date(nowMs) } };
}
