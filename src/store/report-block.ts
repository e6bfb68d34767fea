/**
 * "This wasn't me" blocks: after a person reports a request, the profile refuses further requests
 * to that number for its configured period. One KV key per (profile, number HMAC) that KV itself
 * expires; like the rate counters, a block reaches other locations within KV's ~60 s propagation.
 */
import type { Env } from '../env';

const KV_MIN_TTL_SECONDS = 60;
const blockKey = (profileId: number, phoneKey: string) => `block:${profileId}:${phoneKey}`;

export async function blockNumber(kv: Env['KV'], profileId: number, phoneKey: string, minutes: number, nowMs: number): Promise<void> {
  if (minutes <= 0) return;
  const seconds = Math.max(KV_MIN_TTL_SECONDS, minutes * 60);
  await kv.put(blockKey(profileId, phoneKey), JSON.stringify({ untilMs: nowMs + minutes * 60_000 }), { expirationTtl: seconds });
}

/** Seconds until the block ends, or null when the number is not blocked for this profile. */
export async function blockedForSeconds(kv: Env['KV'], profileId: number, phoneKey: string, nowMs: number): Promise<number | null> {
  const block = await kv.get<{ untilMs: number }>(blockKey(profileId, phoneKey), 'json');
  if (!block || block.untilMs <= nowMs) return null;
  return Math.ceil((block.untilMs - nowMs) / 1000);
}
