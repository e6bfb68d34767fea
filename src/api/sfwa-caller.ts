/**
 * The calling application's `api-key`, checked against one profile's tokens, with the guard against
 * guessing: an address with too many refused keys gets 429 for a while, whatever key it sends. Its
 * throttle is read beside the key check, so a caller in good standing waits for nothing more.
 */
import type { Context } from 'hono';
import type { ApiToken } from '../domain/api-token';
import { rateLimited } from '../domain/api-error';
import type { Profile } from '../domain/profile';
import type { Env } from '../env';
import { checkApiKey } from '../access/api-key-auth';
import { addressKey, clientAddress } from '../security/client-address';
import { database } from '../store/db';
import { keyThrottleSeconds, recordRefusedKey } from '../store/key-refusals';
import { logEvent } from '../observability/log';

export type CallerCheck = { ok: true; token: ApiToken } | { ok: false; reason: string };

/** The key's token, or why it was refused (for the log only); throws 429 when the address is throttled. */
export async function checkCaller(c: Context<{ Bindings: Env }>, profile: Pick<Profile, 'id' | 'name'>, nowMs: number): Promise<CallerCheck> {
  const address = clientAddress(c.req.raw);
  const addressThrottle = async () => {
    if (!address) return { throttleKey: null, throttledSeconds: null };
    const throttleKey = await addressKey(c.env, address);
    return { throttleKey, throttledSeconds: await keyThrottleSeconds(c.env.KV, profile.id, throttleKey, nowMs) };
  };
  const [key, { throttleKey, throttledSeconds }] = await Promise.all([
    checkApiKey(database(c.env.DB), profile.id, c.req.header('api-key'), new Date(nowMs)),
    addressThrottle(),
  ]);
  if (throttledSeconds !== null) throw rateLimited('client', throttledSeconds);
  if (key.ok) return key;
  logEvent('warn', 'sfwa.unauthorized', { profile: profile.name, reason: key.reason, address });
  const throttledNow = throttleKey ? await recordRefusedKey(c.env.KV, profile.id, throttleKey, nowMs) : null;
  if (throttledNow !== null) throw rateLimited('client', throttledNow);
  return key;
}
