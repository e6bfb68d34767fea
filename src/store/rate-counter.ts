/**
 * KV-backed rate counting per phone number.
 *
 * KV has no atomic increment and allows about one write per second per key, so a read-modify-write
 * counter would lose updates in a burst. Instead every attempt writes its own key
 * `rate:{hmac(msisdn)}:{timeMs}:{random}` (one write per key, never contended), then lists the
 * number's keys and counts both windows from that one list; a refused attempt deletes its key so
 * refusals do not count against the user.
 *
 * What this guarantees: where KV reads see earlier writes (always within one location in practice,
 * and in local development), at most `limit` attempts are admitted per window even under a
 * concurrent burst, because every attempt writes before it counts, so the k-th to count sees at
 * least k keys. A burst may be refused more than strictly needed (fail closed), never admitted more.
 * What it does not guarantee: across locations, KV propagates in about 60 s, so attempts spread
 * over several locations inside that delay can exceed the limit by up to one limit per location.
 * Keys are HMACs of the number with a secret because KV has no data-location control.
 */
import { decideRate, HOUR_MS, type RateDecision } from '../domain/rate-limit';
import type { RateLimit } from '../domain/profile';

const KEY_TTL_SECONDS = HOUR_MS / 1000 + 60;
const LIST_LIMIT = 1000;

/**
 * Writes one event's own key under `prefix`, then lists the prefix: the times of the other events
 * (at most `listLimit`) and the key written, for the caller to count and, if it refuses, delete.
 */
export async function recordEvent(kv: KVNamespace, prefix: string, nowMs: number, ttlSeconds: number, listLimit: number): Promise<{ ownKey: string; earlierMs: number[] }> {
  const ownKey = `${prefix}${String(nowMs).padStart(15, '0')}:${crypto.randomUUID()}`;
  await kv.put(ownKey, '', { expirationTtl: ttlSeconds });
  const listed = await kv.list({ prefix, limit: listLimit });
  const earlierMs = listed.keys.filter((key) => key.name !== ownKey).map((key) => Number(key.name.slice(prefix.length).split(':')[0]));
  return { ownKey, earlierMs };
}

export async function admitAttempt(kv: KVNamespace, msisdnHash: string, nowMs: number, limit: RateLimit): Promise<RateDecision> {
  const { ownKey, earlierMs } = await recordEvent(kv, `rate:${msisdnHash}:`, nowMs, KEY_TTL_SECONDS, LIST_LIMIT);
  const decision = decideRate(earlierMs, nowMs, limit);
  if (!decision.allowed) await kv.delete(ownKey);
  return decision;
}
