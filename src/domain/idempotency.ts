/**
 * Idempotency-Key on the start: a caller that retries after a network error names the same key, and
 * within IDEMPOTENCY_WINDOW_MINUTES gets the same session rather than a second SMS and a second count
 * against the rate limit. Pure: the header's rule, the request's fingerprint, and the claim decision.
 */
import * as z from './zod';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
export const IDEMPOTENCY_WINDOW_MINUTES = 10;
/** A claim whose start never reported back (its Worker died) is free again after this long. */
export const IDEMPOTENCY_START_STALE_MS = 30_000;
/** A synchronous caller with a key that hangs up: its session is cancelled only if no retry waits on it this much later. */
export const IDEMPOTENT_HANGUP_GRACE_MS = 10_000;

export const idempotencyKeySchema = z
  .string()
  .check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(IDEMPOTENCY_KEY_MAX_LENGTH, `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`),
    z.regex(/^[\x20-\x7e]+$/, 'must be printable ASCII characters (a UUID is a good key)'),
  );

/** What a claim holds: who started it (the fingerprint of the parameters), which session, until when. */
export interface IdempotencyRecord {
  fingerprint: string;
  sessionId: string | null;
  claimedAtMs: number;
  expiresAtMs: number;
}

export type ClaimDecision = 'new' | 'same' | 'conflict' | 'starting';

/** What a key seen before means now: a new claim (none, expired, or a start that died), the same session, a different request, or a start still under way. */
export function claimDecision(record: IdempotencyRecord | undefined, fingerprint: string, nowMs: number): ClaimDecision {
  if (!record || record.expiresAtMs <= nowMs) return 'new';
  if (record.fingerprint !== fingerprint) return 'conflict';
  if (record.sessionId !== null) return 'same';
  return nowMs - record.claimedAtMs > IDEMPOTENCY_START_STALE_MS ? 'new' : 'starting';
}

/** A stable text of the request's parameters (keys sorted), to compare retries by. */
export function canonicalParameters(parameters: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(parameters).sort().map((key) => [key, parameters[key]]));
}
