/** The rate-limit rule as pure data in, decision out: no I/O, the clock passed in. */
import type { RateLimit } from './profile';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * `earlierAttemptsMs`: times of admitted attempts for the same number (the new one not included).
 * The new attempt at `nowMs` is allowed when it keeps both windows within their limits.
 */
export function decideRate(earlierAttemptsMs: number[], nowMs: number, limit: RateLimit): RateDecision {
  let waitMs = 0;
  for (const [windowMs, max] of [
    [MINUTE_MS, limit.perMinute],
    [HOUR_MS, limit.perHour],
  ] as const) {
    const inWindow = earlierAttemptsMs.filter((t) => t > nowMs - windowMs).sort((a, b) => a - b);
    if (inWindow.length >= max) {
      // One more fits once the attempt that puts the count over the limit leaves the window.
      const leaving = inWindow[inWindow.length - max]!;
      waitMs = Math.max(waitMs, leaving + windowMs - nowMs);
    }
  }
  return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true };
}
