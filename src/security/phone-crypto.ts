/**
 * Phone numbers that must be used again later (to send an SMS: an activation's notice, a push session
 * that falls back to SMS, a local directory user's phone) are kept sealed under a key derived from the
 * Worker secret PHONE_HASH_SECRET, under its own label, so the HMAC keys and this key never coincide.
 */
import type { Env } from '../env';
import { openText, sealText } from './sealed-text';

const KEY_LABEL = 'sfwa phone-number encryption v1';

function secretOf(env: Pick<Env, 'PHONE_HASH_SECRET'>): string {
  if (!env.PHONE_HASH_SECRET) throw new Error('PHONE_HASH_SECRET is not set (wrangler secret put PHONE_HASH_SECRET)');
  return env.PHONE_HASH_SECRET;
}

export const encryptMsisdn = (env: Pick<Env, 'PHONE_HASH_SECRET'>, e164: string): Promise<string> => sealText(secretOf(env), KEY_LABEL, e164);

/** The number, or null when `sealed` was not made with this secret (or was tampered with). */
export const decryptMsisdn = (env: Pick<Env, 'PHONE_HASH_SECRET'>, sealed: string): Promise<string | null> => openText(secretOf(env), KEY_LABEL, sealed);
