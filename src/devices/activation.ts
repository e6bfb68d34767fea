/**
 * Activation links for the companion app: `{origin}/plus/activate/{code}`. The code is 128 random
 * bits; only its SHA-256 is stored, with the number's HMAC (phone_key), the masked number, the number
 * encrypted (for the notice every activation sends), how it came about, and an expiry
 * ACTIVATION_LINK_TTL_MINUTES ahead. The link works once (POST /api/plus/v1/activate uses it).
 *
 * A link reaches a person only by SMS to the number itself (inside a sign-in SMS, or sent on an
 * administrator's request), so whoever activates holds the phone: an administrator never sees it.
 * Free of Hono: the admin API, the console and the session (activation links in SMS) all call this.
 */
import { apiError } from '../domain/api-error';
import type { AuditActor } from '../domain/audit';
import { ACTIVATION_LINK_TTL_MINUTES } from '../domain/constants';
import type { ActivationVia } from '../domain/device';
import { maskMsisdn, parseMsisdn } from '../domain/msisdn';
import { deviceSmsTexts, localeForMsisdn } from '../domain/texts';
import type { Env } from '../env';
import { recordAudit } from '../admin/audit';
import { DeliveryError } from '../providers/provider-request';
import { smsSenderFor } from '../providers/sms/sms-sender';
import { sha256Hex } from '../security/crypto';
import { newActivationCode } from '../security/new-secrets';
import { encryptMsisdn } from '../security/phone-crypto';
import { phoneKey } from '../security/phone-key';
import type { Database } from '../store/db';
import { deleteActivation, insertActivation } from '../store/devices';
import { logEvent } from '../observability/log';

export const ACTIVATION_PATH = '/plus/activate';
/** The app's own URL scheme: the activation page hands the code to the installed app with it. */
export const APP_ACTIVATION_DEEP_LINK = 'sfwa-plus://activate';

export const activationUrl = (origin: string, code: string): string => `${origin}${ACTIVATION_PATH}/${code}`;

/** `sfwa-plus://activate?code=…&origin=…`: what the activation page offers to open the app with. */
export const activationDeepLink = (origin: string, code: string): string =>
  `${APP_ACTIVATION_DEEP_LINK}?${new URLSearchParams({ code, origin })}`;

/** How the link came about, recorded on the device it activates: shown on the console's Devices page. */
export interface ActivationProvenance {
  via: ActivationVia;
  /** With `admin-sms`: the administrator who had it sent. */
  by: string | null;
}

export interface CreatedActivation {
  /** The only copy of the code: it is in this URL and nowhere stored. */
  url: string;
  expiresAt: Date;
  msisdnMasked: string;
}

/**
 * Makes an activation link for `msisdn` (E.164, as parseMsisdn() returns it; anything else is a
 * programming error and throws). `origin` is the public origin, e.g. publicOrigin(env, request.url).
 * Nothing is stored yet: `store()` does that, so a caller may send the link while it is being stored.
 */
export async function prepareActivation(
  env: Pick<Env, 'PHONE_HASH_SECRET'>,
  msisdn: string,
  origin: string,
  now: Date,
  provenance: ActivationProvenance,
): Promise<CreatedActivation & { codeHash: string; store(db: Database): Promise<void> }> {
  const parsed = parseMsisdn(msisdn);
  if (!parsed.ok || parsed.e164 !== msisdn) throw new Error('createActivation needs a phone number in E.164 form, as parseMsisdn() returns it');
  const code = newActivationCode();
  const msisdnMasked = maskMsisdn(parsed.e164);
  const expiresAt = new Date(now.getTime() + ACTIVATION_LINK_TTL_MINUTES * 60_000);
  const [codeHash, numberKey, msisdnEncrypted] = await Promise.all([sha256Hex(code), phoneKey(env, parsed.e164), encryptMsisdn(env, parsed.e164)]);
  const row = { codeHash, phoneKey: numberKey, msisdnMasked, expiresAt, msisdnEncrypted, via: provenance.via, createdBy: provenance.by };
  return {
    url: activationUrl(origin.replace(/\/+$/, ''), code),
    expiresAt,
    msisdnMasked,
    codeHash,
    async store(db) {
      await insertActivation(db, row);
      logEvent('info', 'device.activation_created', { msisdn: msisdnMasked, via: provenance.via, expiresAt: expiresAt.toISOString() });
    },
  };
}

/** prepareActivation(), stored before it returns: for the local app simulator and tests, which use the link at once. */
export async function createActivation(
  env: Pick<Env, 'PHONE_HASH_SECRET'>,
  db: Database,
  msisdn: string,
  origin: string,
  now: Date,
  provenance: ActivationProvenance = { via: 'dev-simulator', by: null },
): Promise<CreatedActivation> {
  const { store, codeHash: _codeHash, ...activation } = await prepareActivation(env, msisdn, origin, now, provenance);
  await store(db);
  return activation;
}

/**
 * An administrator's activation (a help desk setting up a person's app): the link goes by SMS to the
 * number itself, never to the administrator, so only the phone's holder can activate. When the SMS
 * cannot be sent, the link is withdrawn and the answer is 502 DELIVERY_FAILED.
 */
export async function sendActivation(env: Env, db: Database, msisdn: string, origin: string, actor: AuditActor): Promise<Omit<CreatedActivation, 'url'>> {
  const { store, url, codeHash, ...activation } = await prepareActivation(env, msisdn, origin, new Date(), { via: 'admin-sms', by: actor.username });
  await store(db);
  try {
    await smsSenderFor(env).send({ to: msisdn, text: deviceSmsTexts(localeForMsisdn(msisdn)).activationInvite(url), link: url });
  } catch (error) {
    await deleteActivation(db, codeHash);
    logEvent('error', 'device.activation_sms_failed', { msisdn: activation.msisdnMasked, error: error instanceof DeliveryError ? error.message : String(error) });
    throw apiError('DELIVERY_FAILED', { message: 'The activation link could not be sent by SMS to the number; nothing was created' });
  }
  await recordAudit(db, actor, 'device.activation-sent', activation.msisdnMasked, { expiresAt: { to: activation.expiresAt.toISOString() } });
  return activation;
}
