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

/** An event whose own key is being written: `earlier()` lists the others once the write is done. */
interface RecordedEvent {
  ownKey: string;
  written: Promise<void>;
  earlier(): Promise<number[]>;
}

/**
 * Starts writing one event's own key under `prefix`; `earlier()` then lists the prefix after the write
 * (never before it: that order is the guarantee above) and gives the times of the other events, at most
 * `listLimit`. Starting the write first lets a caller overlap it with reads of its own.
 */
function startEvent(kv: KVNamespace, prefix: string, nowMs: number, ttlSeconds: number, listLimit: number): RecordedEvent {
  const ownKey = `${prefix}${String(nowMs).padStart(15, '0')}:${crypto.randomUUID()}`;
  const written = kv.put(ownKey, '', { expirationTtl: ttlSeconds });
  return {
    ownKey,
    written,
    earlier: async () => {
      await written;
      const listed = await kv.list({ prefix, limit: listLimit });
      return listed.keys.filter((key) => key.name !== ownKey).map((key) => Number(key.name.slice(prefix.length).split(':')[0]));
    },
  };
}

/** Writes one event's own key under `prefix`, then lists the prefix: the times of the other events and the key written. */
export async function recordEvent(kv: KVNamespace, prefix: string, nowMs: number, ttlSeconds: number, listLimit: number): Promise<{ ownKey: string; earlierMs: number[] }> {
  const event = startEvent(kv, prefix, nowMs, ttlSeconds, listLimit);
  return { ownKey: event.ownKey, earlierMs: await event.earlier() };
}

/** An attempt already being recorded: `decide()` counts it against the limit, `withdraw()` removes it (another check refused it). */
export interface PendingAttempt {
  decide(limit: RateLimit): Promise<RateDecision>;
  withdraw(): Promise<void>;
}

/** Starts recording an attempt for the number at once, so its KV write overlaps the caller's other checks. */
export function startAttempt(kv: KVNamespace, msisdnHash: string, nowMs: number): PendingAttempt {
  const event = startEvent(kv, `rate:${msisdnHash}:`, nowMs, KEY_TTL_SECONDS, LIST_LIMIT);
  const withdraw = async () => {
    await event.written.catch(() => undefined);
    await kv.delete(event.ownKey);
  };
  return {
    decide: async (limit) => {
      const decision = decideRate(await event.earlier(), nowMs, limit);
      // A refused attempt does not count against the person.
      if (!decision.allowed) await withdraw();
      return decision;
    },
    withdraw,
  };
}

export const admitAttempt = (kv: KVNamespace, msisdnHash: string, nowMs: number, limit: RateLimit): Promise<RateDecision> => startAttempt(kv, msisdnHash, nowMs).decide(limit);
