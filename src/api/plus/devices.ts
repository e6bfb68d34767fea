/**
 * The app's device endpoints (docs/companion-app.md):
 *   POST /api/plus/v1/activate    { code, installationId, platform, pushToken, publicKey, label? } -> 201 { deviceId, msisdnMasked }
 *   POST /api/plus/v1/deactivate  { deviceId, timestamp, signature } (signed 'deactivate', [deviceId]) -> 200 { deactivated: true }
 * Every check that can refuse activation runs before the code is used, so a refusal stores nothing
 * and leaves the code as it was; the code is used by one conditional UPDATE, so it works once.
 */
import { Hono } from 'hono';
import { apiError } from '../../domain/api-error';
import { deviceActivateSchema, signedRequestSchema, type Device } from '../../domain/device';
import { publicOrigin, type Env } from '../../env';
import { authenticateSignedRequest } from '../../access/signed-request';
import { APP_ACTOR, recordAudit } from '../../admin/audit';
import { newDeactivationCode, sendActivationNotice } from '../../devices/activation-notice';
import { removeDevice } from '../../devices/deactivation';
import { clientAddress } from '../../security/client-address';
import { decryptMsisdn } from '../../security/phone-crypto';
import type { Database } from '../../store/db';
import { sha256Hex } from '../../security/crypto';
import { DevicePublicKeyError, importDevicePublicKey } from '../../security/device-signature';
import { newDeviceId } from '../../security/new-secrets';
import { database } from '../../store/db';
import { consumeActivation, findActivation, upsertDevice } from '../../store/devices';
import { readJsonBody } from '../request-body';
import { errorText, logEvent } from '../../observability/log';

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
    logEvent('warn', 'device.activation_refused', { reason });
    if (!known) throw apiError('NOT_FOUND', { message: 'No such activation code' });
    throw apiError('GONE', { message: reason === 'used' ? 'This activation link has already been used' : 'This activation link has expired' });
  }
  const newId = newDeviceId();
  const deactivation = await newDeactivationCode();
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
      activatedVia: activation.via,
      activatedBy: activation.createdBy,
      deactivationCodeHash: deactivation.codeHash,
    },
    now,
  );
  logEvent('info', 'device.activated', { deviceId: device.id, msisdn: device.msisdnMasked, platform: device.platform, replaced: device.id !== newId });
  c.executionCtx.waitUntil(
    noticeAndAudit(c.env, db, device, activation.msisdnEncrypted, deactivation.code, publicOrigin(c.env, c.req.url), clientAddress(c.req.raw)).catch((error: unknown) => {
      logEvent('error', 'device.activated_followup_failed', { deviceId: device.id.slice(0, 8), error: errorText(error) });
    }),
  );
  return c.json({ deviceId: device.id, msisdnMasked: device.msisdnMasked }, 201);
});

/** After an activation: the notice to the number (with its deactivation link) and the audit entry, once the app has its answer. */
async function noticeAndAudit(env: Env, db: Database, device: Device, msisdnEncrypted: string | null, code: string, origin: string, address: string | null) {
  const msisdn = msisdnEncrypted ? await decryptMsisdn(env, msisdnEncrypted) : null;
  const noticeSent = msisdn ? await sendActivationNotice(env, msisdn, device, code, origin) : false;
  await recordAudit(db, { username: APP_ACTOR, address }, 'device.activated', `device ${device.id} of ${device.msisdnMasked}`, {
    via: device.activatedVia,
    ...(device.activatedBy && { by: device.activatedBy }),
    platform: device.platform,
    ...(device.label && { label: device.label }),
    notice: noticeSent ? 'sent by SMS' : 'not sent',
  });
}

deviceAppApi.post('/deactivate', async (c) => {
  const request = await readJsonBody(c, signedRequestSchema);
  const db = database(c.env.DB);
  const check = await authenticateSignedRequest(db, request, 'deactivate', [request.deviceId], Date.now());
  if (!check.ok) {
    // The reason stays in the log: the app learns only that the request was refused.
    logEvent('warn', 'device.signed_request_refused', { purpose: 'deactivate', reason: check.reason });
    throw apiError('UNAUTHORIZED', { message: 'The signed request was refused' });
  }
  await removeDevice(c.env, db, check.device.id);
  logEvent('info', 'device.deactivated', { deviceId: check.device.id, by: 'app' });
  await recordAudit(db, { username: APP_ACTOR, address: clientAddress(c.req.raw) }, 'device.deactivated', `device ${check.device.id} of ${check.device.msisdnMasked}`, { by: 'the app itself' });
  return c.json({ deactivated: true });
});
