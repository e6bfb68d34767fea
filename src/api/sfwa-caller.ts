/**
 * The calling application's `api-key`, checked against one profile's tokens, with the guard against
 * guessing: an address with too many refused keys gets 429 for a while, whatever key it sends. Its
 * throttle is read beside the key check and the body, so a caller in good standing waits for nothing more.
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

export type CallerCheck = { ok: true; token: ApiToken; notThrottled: Promise<void> } | { ok: false; reason: string };

/**
 * The key's token, or why it was refused (for the log only). A refused key waits for the address's
 * throttle and throws 429 when it is on. An accepted one does not wait: `notThrottled` rejects with
 * that 429, and the caller awaits it before it answers anything else, counts or sends, so the throttle
 * read overlaps what comes next (reading the body).
 */
export async function checkCaller(c: Context<{ Bindings: Env }>, profile: Pick<Profile, 'id' | 'name'>, nowMs: number): Promise<CallerCheck> {
  const address = clientAddress(c.req.raw);
  const throttleKey = address ? addressKey(c.env, address) : null;
  const notThrottled = (async () => {
    const throttledSeconds = throttleKey ? await keyThrottleSeconds(c.env.KV, profile.id, await throttleKey, nowMs) : null;
    if (throttledSeconds !== null) throw rateLimited('client', throttledSeconds);
  })();
  // Awaited by whoever gets it; until then a throttle is not an unhandled rejection.
  notThrottled.catch(() => undefined);
  const key = await checkApiKey(database(c.env.DB), profile.id, c.req.header('api-key'), new Date(nowMs));
  if (key.ok) return { ...key, notThrottled };
  await notThrottled;
  logEvent('warn', 'sfwa.unauthorized', { profile: profile.name, reason: key.reason, address });
  const throttledNow = throttleKey ? await recordRefusedKey(c.env.KV, profile.id, await throttleKey, nowMs) : null;
  if (throttledNow !== null) throw rateLimited('client', throttledNow);
  return key;
}
