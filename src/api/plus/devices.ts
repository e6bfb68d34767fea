/**
 * The app's device endpoints (docs/companion-app.md):
 *   POST /api/plus/v1/activate    { code, installationId, platform, pushToken, publicKey, label? } -> 201 { deviceId, msisdnMasked }
 *   POST /api/plus/v1/deactivate  { deviceId, timestamp, signature } (signed 'deactivate', [deviceId]) -> 200 { deactivated: true }
 * Every check that can refuse activation runs before the code is used, so a refusal stores nothing
 * and leaves the code as it was; the code is used by one conditional UPDATE, so it works once.
 */
import { Hono } from 'hono';
import { apiError } from '../../domain/api-error';
import { deviceActivateSchema, newDeviceId, signedRequestSchema } from '../../domain/device';
import type { Env } from '../../env';
import { sha256Hex } from '../../security/crypto';
import { authenticateSignedRequest, DevicePublicKeyError, importDevicePublicKey } from '../../security/device-signature';
import { database } from '../../store/db';
import { consumeActivation, deleteDevice, findActivation, upsertDevice } from '../../store/devices';
import { readJsonBody } from '../request-body';

export const deviceAppApi = new Hono<{ Bindings: Env }>();

deviceAppApi.post('/activate', async (c) => {
  const input = await readJsonBody(c, deviceActivateSchema);
  // The schema checked the JWK's shape; importing it also checks that the point is on the curve.
  await importDevicePublicKey(input.publicKey).catch((error: unknown) => {
    if (error instanceof DevicePublicKeyError) throw apiError('BAD_REQUEST', { errors: [{ field: 'publicKey', message: 'is not a valid EC P-256 public key' }] });
    throw error;
  });
  const db = database(c.env.DB);
  const now = new Date();
  const codeHash = await sha256Hex(input.code);
  const activation = await consumeActivation(db, codeHash, now);
  if (!activation) {
    const known = await findActivation(db, codeHash);
    const reason = !known ? 'unknown' : known.usedAt ? 'used' : 'expired';
    console.warn(JSON.stringify({ event: 'device.activation_refused', reason }));
    if (!known) throw apiError('NOT_FOUND', { message: 'No such activation code' });
    throw apiError('GONE', { message: reason === 'used' ? 'This activation link has already been used' : 'This activation link has expired' });
  }
  const newId = newDeviceId();
  const device = await upsertDevice(
    db,
    {
      id: newId,
      phoneKey: activation.phoneKey,
      msisdnMasked: activation.msisdnMasked,
      installationId: input.installationId,
      publicKey: input.publicKey,
      platform: input.platform,
      pushToken: input.pushToken,
      label: input.label,
    },
    now,
  );
  console.log(JSON.stringify({ event: 'device.activated', deviceId: device.id, msisdn: device.msisdnMasked, platform: device.platform, replaced: device.id !== newId }));
  return c.json({ deviceId: device.id, msisdnMasked: device.msisdnMasked }, 201);
});

deviceAppApi.post('/deactivate', async (c) => {
  const request = await readJsonBody(c, signedRequestSchema);
  const db = database(c.env.DB);
  const check = await authenticateSignedRequest(db, request, 'deactivate', [request.deviceId], Date.now());
  if (!check.ok) {
    // The reason stays in the log: the app learns only that the request was refused.
    console.warn(JSON.stringify({ event: 'device.signed_request_refused', purpose: 'deactivate', reason: check.reason }));
    throw apiError('UNAUTHORIZED', { message: 'The signed request was refused' });
  }
  await deleteDevice(db, check.device.id);
  console.log(JSON.stringify({ event: 'device.deactivated', deviceId: check.device.id, by: 'app' }));
  return c.json({ deactivated: true });
});
