/** Phone numbers never become KV keys in the clear: KV has no data-location control, so keys are HMACs. */
import type { Env } from '../env';
import { hmacSha256Hex } from './crypto';

export async function phoneKey(env: Pick<Env, 'PHONE_HASH_SECRET'>, msisdn: string): Promise<string> {
  if (!env.PHONE_HASH_SECRET) throw new Error('PHONE_HASH_SECRET is not set (wrangler secret put PHONE_HASH_SECRET)');
  return hmacSha256Hex(env.PHONE_HASH_SECRET, msisdn);
}
