/**
 * Throttling guesses (console passwords): the rule, pure; the clock passed in. Failures are counted
 * in a sliding window; at `maxFailures` the subject is locked for `firstLockMs`. After a lock it is on
 * probation for one window: a single failure then locks it again, each time twice as long (up to
 * `maxLockMs`). A lock refuses every attempt, right or wrong, without checking it. A probation that
 * passes without a failure forgives the locks, and counting starts afresh.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  firstLockMs: number;
  maxLockMs: number;
}

export interface ThrottleState {
  /** Times of the failures inside the window. */
  failuresMs: number[];
  lockedUntilMs: number;
  /** Locks in a row, for the growing back-off. */
  lockouts: number;
}

export const freshThrottle = (): ThrottleState => ({ failuresMs: [], lockedUntilMs: 0, lockouts: 0 });

const MINUTE_MS = 60_000;

/** Console sign-in: 5 failures for one username within 15 minutes, or 20 from one client address. */
export const SIGN_IN_USERNAME_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * MINUTE_MS, firstLockMs: MINUTE_MS, maxLockMs: 60 * MINUTE_MS };
export const SIGN_IN_ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * MINUTE_MS, firstLockMs: MINUTE_MS, maxLockMs: 60 * MINUTE_MS };

/** Seconds until the lock ends; 0 when not locked. */
export const lockedForSeconds = (state: ThrottleState, nowMs: number): number =>
  state.lockedUntilMs > nowMs ? Math.ceil((state.lockedUntilMs - nowMs) / 1000) : 0;

const probationEndsMs = (state: ThrottleState, policy: ThrottlePolicy): number => (state.lockouts > 0 ? state.lockedUntilMs + policy.windowMs : 0);

export function recordFailure(state: ThrottleState, policy: ThrottlePolicy, nowMs: number): ThrottleState {
  const onProbation = nowMs < probationEndsMs(state, policy);
  const failuresMs = [...state.failuresMs.filter((at) => at > nowMs - policy.windowMs), nowMs];
  if (!onProbation && failuresMs.length < policy.maxFailures) return { failuresMs, lockedUntilMs: state.lockedUntilMs, lockouts: 0 };
  const lockouts = onProbation ? state.lockouts : 0;
  const lockMs = Math.min(policy.firstLockMs * 2 ** lockouts, policy.maxLockMs);
  return { failuresMs, lockedUntilMs: nowMs + lockMs, lockouts: lockouts + 1 };
}

/** When the state can be forgotten: no failure left in the window, no lock running, no probation. */
export const forgetAtMs = (state: ThrottleState, policy: ThrottlePolicy): number =>
  Math.max(probationEndsMs(state, policy), state.lockedUntilMs, (state.failuresMs.at(-1) ?? 0) + policy.windowMs);
