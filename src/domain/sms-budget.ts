/**
 * The SMS budget rule, pure: counts of SMS per minute in, a decision out; the clock passed in.
 * Windows slide by the minute: "per hour" is the current minute and the 59 before it, "per day" the
 * current minute and the 1439 before it, so a budget cannot be doubled at the turn of an hour.
 */
import type { SmsBudget } from './profile';
import { MINUTE_MS } from './rate-limit';

/** Which profile's budget, and its limits (read from the profile on each call, so an edit applies at once). */
export interface SmsBudgetRef {
  profileId: number;
  profileName: string;
  budget: SmsBudget;
}

export const BUDGET_WINDOWS = [
  { window: 'hour', minutes: 60, limit: (budget: SmsBudget) => budget.perHour },
  { window: 'day', minutes: 24 * 60, limit: (budget: SmsBudget) => budget.perDay },
] as const;
export type BudgetWindow = (typeof BUDGET_WINDOWS)[number]['window'];

/** The longest window, in minutes: older counts no longer matter. */
export const BUDGET_MEMORY_MINUTES = 24 * 60;

export type BudgetDecision = { allowed: true; minute: number } | { allowed: false; window: BudgetWindow; limit: number; retryAfterSeconds: number };

export const minuteOf = (nowMs: number): number => Math.floor(nowMs / MINUTE_MS);

/**
 * Whether one more SMS fits both windows at `nowMs`. When it does not, `retryAfterSeconds` is how long
 * until enough of the window's oldest SMS have left it for one more to fit (in the longer-blocked window).
 */
export function decideBudget(perMinute: ReadonlyMap<number, number>, nowMs: number, budget: SmsBudget): BudgetDecision {
  const minute = minuteOf(nowMs);
  let refusal: Extract<BudgetDecision, { allowed: false }> | null = null;
  for (const { window, minutes, limit: limitOf } of BUDGET_WINDOWS) {
    const limit = limitOf(budget);
    const oldest = minute - minutes + 1;
    const inWindow = [...perMinute].filter(([at]) => at >= oldest && at <= minute).sort(([a], [b]) => a - b);
    let count = inWindow.reduce((sum, [, n]) => sum + n, 0);
    if (count < limit) continue;
    // Drop the oldest minutes until one more fits; that minute's leaving the window is when.
    let leavingMinute = oldest;
    for (const [at, n] of inWindow) {
      count -= n;
      leavingMinute = at;
      if (count < limit) break;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(((leavingMinute + minutes) * MINUTE_MS - nowMs) / 1000));
    if (!refusal || retryAfterSeconds > refusal.retryAfterSeconds) refusal = { allowed: false, window, limit, retryAfterSeconds };
  }
  return refusal ?? { allowed: true, minute };
}
