/**
 * Callback secrets sign what the service POSTs to a caller's callback-url, so they must be used again:
 * sealed, not hashed, under a key derived from the Worker secret PHONE_HASH_SECRET with its own label.
 * Shown once when made, never again; a new one replaces the old at once.
 */
import type { Env } from '../env';
import { randomSecret } from './crypto';
import { openText, sealText } from './sealed-text';

const KEY_LABEL = 'sfwa callback secrets v1';
/** 32 random bytes: 43 base64url characters. */
const CALLBACK_SECRET_BYTES = 32;

function secretOf(env: Pick<Env, 'PHONE_HASH_SECRET'>): string {
  if (!env.PHONE_HASH_SECRET) throw new Error('PHONE_HASH_SECRET is not set (wrangler secret put PHONE_HASH_SECRET)');
  return env.PHONE_HASH_SECRET;
}

/** A new secret and its sealed form, to store. */
export async function newCallbackSecret(env: Pick<Env, 'PHONE_HASH_SECRET'>): Promise<{ secret: string; sealed: string }> {
  const secret = randomSecret(CALLBACK_SECRET_BYTES);
  return { secret, sealed: await sealText(secretOf(env), KEY_LABEL, secret) };
}

/** The secret, or null when it was sealed under another PHONE_HASH_SECRET. */
export const openCallbackSecret = (env: Pick<Env, 'PHONE_HASH_SECRET'>, sealed: string): Promise<string | null> => openText(secretOf(env), KEY_LABEL, sealed);
