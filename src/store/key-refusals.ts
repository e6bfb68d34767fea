/**
 * Guessing API keys: refused keys counted per endpoint profile and client address (the address as an
 * HMAC), in KV. More than KEY_REFUSALS_PER_MINUTE refusals within a minute and the address is
 * throttled for a minute: every call from it to that endpoint answers 429, valid key or not, which
 * a call learns from one KV read made beside the key check (no added wait on the way).
 *
 * Counting works as the per-number rate limit does (src/store/rate-counter.ts): one key per refusal,
 * then a list. Where KV reads see earlier writes, which is within one location, a burst never gets
 * more than the limit refused with 401 before the rest get 429; an address's requests normally reach
 * one Cloudflare location, and a guesser spreading one address over several gains at most one limit
 * per location within KV's ~60 s propagation.
 */
import { KEY_REFUSALS_PER_MINUTE } from '../domain/constants';
import { MINUTE_MS } from '../domain/rate-limit';
import { recordEvent } from './rate-counter';

// KV's shortest expiry is 60 s: exactly the window.
const WINDOW_SECONDS = MINUTE_MS / 1000;
const refusalPrefix = (profileId: number, addressKey: string) => `keyfail:${profileId}:${addressKey}:`;
const throttleKey = (profileId: number, addressKey: string) => `keythrottle:${profileId}:${addressKey}`;

/** Seconds the address is throttled for on this profile, or null. */
export async function keyThrottleSeconds(kv: KVNamespace, profileId: number, addressKey: string, nowMs: number): Promise<number | null> {
  const throttle = await kv.get<{ untilMs: number }>(throttleKey(profileId, addressKey), 'json');
  return throttle && throttle.untilMs > nowMs ? Math.ceil((throttle.untilMs - nowMs) / 1000) : null;
}

/** Records a refused key; when it is one too many for the minute, throttles the address and returns for how many seconds. */
export async function recordRefusedKey(kv: KVNamespace, profileId: number, addressKey: string, nowMs: number): Promise<number | null> {
  const { earlierMs } = await recordEvent(kv, refusalPrefix(profileId, addressKey), nowMs, WINDOW_SECONDS * 2, KEY_REFUSALS_PER_MINUTE * 5);
  const inWindow = earlierMs.filter((at) => at > nowMs - MINUTE_MS).length + 1;
  if (inWindow <= KEY_REFUSALS_PER_MINUTE) return null;
  await kv.put(throttleKey(profileId, addressKey), JSON.stringify({ untilMs: nowMs + MINUTE_MS }), { expirationTtl: WINDOW_SECONDS });
  return WINDOW_SECONDS;
}
