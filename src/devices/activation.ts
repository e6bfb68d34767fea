/**
 * Activation links for the companion app: `{origin}/plus/activate/{code}`. The code is 128 random
 * bits; only its SHA-256 is stored, with the number's HMAC (phone_key), the masked number and an
 * expiry ACTIVATION_LINK_TTL_MINUTES ahead. The link works once (POST /api/plus/v1/activate uses it).
 * Free of Hono: the admin API, the console and the session (activation links in SMS) all call this.
 */
import { ACTIVATION_LINK_TTL_MINUTES } from '../domain/constants';
import { newActivationCode } from '../domain/device';
import { maskMsisdn, parseMsisdn } from '../domain/msisdn';
import type { Env } from '../env';
import { sha256Hex } from '../security/crypto';
import { phoneKey } from '../security/phone-key';
import type { Database } from '../store/db';
import { insertActivation } from '../store/devices';

export const ACTIVATION_PATH = '/plus/activate';
/** The app's own URL scheme: the activation page hands the code to the installed app with it. */
export const APP_ACTIVATION_DEEP_LINK = 'sfwa-plus://activate';

export const activationUrl = (origin: string, code: string): string => `${origin}${ACTIVATION_PATH}/${code}`;

/** `sfwa-plus://activate?code=…&origin=…`: what the activation page offers to open the app with. */
export const activationDeepLink = (origin: string, code: string): string =>
  `${APP_ACTIVATION_DEEP_LINK}?${new URLSearchParams({ code, origin })}`;

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
): Promise<CreatedActivation & { store(db: Database): Promise<void> }> {
  const parsed = parseMsisdn(msisdn);
  if (!parsed.ok || parsed.e164 !== msisdn) throw new Error('createActivation needs a phone number in E.164 form, as parseMsisdn() returns it');
  const code = newActivationCode();
  const msisdnMasked = maskMsisdn(parsed.e164);
  const expiresAt = new Date(now.getTime() + ACTIVATION_LINK_TTL_MINUTES * 60_000);
  const row = { codeHash: await sha256Hex(code), phoneKey: await phoneKey(env, parsed.e164), msisdnMasked, expiresAt };
  return {
    url: activationUrl(origin.replace(/\/+$/, ''), code),
    expiresAt,
    msisdnMasked,
    async store(db) {
      await insertActivation(db, row);
      console.log(JSON.stringify({ event: 'device.activation_created', msisdn: msisdnMasked, expiresAt: expiresAt.toISOString() }));
    },
  };
}

/** prepareActivation(), stored before it returns: for the admin API and console, which show the link at once. */
export async function createActivation(
  env: Pick<Env, 'PHONE_HASH_SECRET'>,
  db: Database,
  msisdn: string,
  origin: string,
  now: Date,
): Promise<CreatedActivation> {
  const { store, ...activation } = await prepareActivation(env, msisdn, origin, now);
  await store(db);
  return activation;
}
