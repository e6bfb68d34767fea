/**
 * The authentication session's state machine, pure: pending -> accepted | rejected | timed_out |
 * cancelled | failed. Exactly one outcome: every transition starts from `pending`, so late or
 * repeated events leave a settled session as it is.
 */
import type { AuthChannel, AuthLogEntry, AuthLogOutcome } from '../domain/auth-log';
import type { UserMessages } from '../domain/profile';

export type SessionStatus = 'pending' | 'accepted' | 'rejected' | 'timed_out' | 'cancelled' | 'failed';
export type Decision = 'accept' | 'reject';

export interface SessionState {
  status: SessionStatus;
  createdAtMs: number;
  deadlineMs: number;
  settledAtMs: number | null;
  /** SHA-256 of the magic link's secret; the secret itself only ever exists in the SMS. */
  linkSecretHash: string;
  msisdnMasked: string;
  profileName: string;
  tokenName: string;
  channel: AuthChannel;
  /** The session's log entry is owed: set when it settles, cleared once the entry is in D1. */
  logPending: boolean;
  /** Request over profile texts; empty ones are filled with built-in texts when shown. */
  messages: UserMessages;
}

export const isSettled = (state: SessionState): boolean => state.status !== 'pending';

function settle(state: SessionState, status: SessionStatus, nowMs: number): SessionState {
  if (isSettled(state)) return state;
  return { ...state, status, settledAtMs: nowMs, logPending: true };
}

/** A decision counts only while pending and before the deadline; one after the deadline times the session out. */
export function decide(state: SessionState, decision: Decision, nowMs: number): SessionState {
  if (nowMs >= state.deadlineMs) return settle(state, 'timed_out', nowMs);
  return settle(state, decision === 'accept' ? 'accepted' : 'rejected', nowMs);
}

export const expireIfDue = (state: SessionState, nowMs: number): SessionState =>
  nowMs >= state.deadlineMs ? settle(state, 'timed_out', nowMs) : state;

export const cancel = (state: SessionState, nowMs: number): SessionState => settle(state, 'cancelled', nowMs);

export const markFailed = (state: SessionState, nowMs: number): SessionState => settle(state, 'failed', nowMs);

/** The authentication log's outcome for a settled session; unlike the API code it tells cancelled and failed apart. */
export function logOutcome(status: SessionStatus): AuthLogOutcome | null {
  switch (status) {
    case 'accepted':
      return 'ACCEPT';
    case 'rejected':
      return 'REJECT';
    case 'timed_out':
      return 'TIMEOUT';
    case 'cancelled':
      return 'CANCELLED';
    case 'failed':
      return 'DELIVERY_FAILED';
    case 'pending':
      return null;
  }
}

/** The log entry a settled session owes; null while it is pending. */
export function logEntry(sessionId: string, state: SessionState): AuthLogEntry | null {
  const outcome = logOutcome(state.status);
  if (outcome === null || state.settledAtMs === null) return null;
  return {
    sessionId,
    startedAtMs: state.createdAtMs,
    endedAtMs: state.settledAtMs,
    profileName: state.profileName,
    tokenName: state.tokenName,
    msisdnMasked: state.msisdnMasked,
    channel: state.channel,
    outcome,
    durationMs: state.settledAtMs - state.createdAtMs,
  };
}
