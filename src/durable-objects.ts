/**
 * The RPC surface of each Durable Object: what the Worker may call on its stub. Types only, with no
 * import of the objects themselves, so src/env.ts types its namespaces without depending on every
 * provider and store the objects use. Each class `implements` its interface, so the two cannot drift;
 * alarms, WebSocket handlers and fetch are the platform's to call, not listed here.
 */
import type { ThrottlePolicy } from './domain/guess-throttle';
import type { Locale } from './domain/texts';
import type { BudgetDecision, SmsBudgetRef } from './domain/sms-budget';
import type { DeliveryReport } from './domain/delivery-report';
import type {
  AppRequest,
  DeliveryReportResult,
  DeviceDecision,
  DeviceDecisionResult,
  LinkDecision,
  LinkView,
  SessionStart,
  SessionStatusView,
  StartedSession,
} from './auth-session/session-contract';
import type { Decision, SessionOutcome } from './auth-session/session-state';
import type { OutboxMessage } from './providers/sms/outbox';

/** src/auth-session/auth-session.ts: one object per authentication. */
export interface AuthSessionRpc extends Rpc.DurableObjectBranded {
  start(input: SessionStart): Promise<StartedSession>;
  deviceDeactivated(deviceId: string): Promise<void>;
  wait(): Promise<SessionOutcome | 'missing'>;
  status(): Promise<SessionStatusView | 'missing'>;
  view(secret: string): Promise<LinkView | null>;
  decide(secret: string, decision: Decision, pickedMatch?: string, locale?: Locale): Promise<LinkDecision | null>;
  decideFromDevice(answer: DeviceDecision): Promise<DeviceDecisionResult>;
  deliveryReport(provider: string, token: string, report: DeliveryReport): Promise<DeliveryReportResult>;
  appRequest(deviceId: string): Promise<AppRequest | null>;
  abandoned(graceMs: number): Promise<void>;
  cancel(): Promise<SessionOutcome | 'missing'>;
  busyMs(): Promise<number | null>;
}

/** src/abuse/sms-budget.ts: one object per endpoint profile. */
export interface SmsBudgetCounterRpc extends Rpc.DurableObjectBranded {
  take(ref: SmsBudgetRef, nowMs?: number): Promise<BudgetDecision>;
  release(minute: number): Promise<void>;
}

/** src/abuse/guess-throttle.ts: one object per throttled subject. */
export interface GuessThrottleRpc extends Rpc.DurableObjectBranded {
  lockedFor(nowMs?: number): Promise<number>;
  failed(policy: ThrottlePolicy, nowMs?: number): Promise<number>;
  succeeded(): Promise<void>;
}

export type Claim = { result: 'new' } | { result: 'same'; sessionId: string } | { result: 'conflict' };

/** src/auth-session/idempotency-key.ts: one object per (profile, Idempotency-Key). */
export interface IdempotencyKeyRpc extends Rpc.DurableObjectBranded {
  claim(fingerprint: string): Promise<Claim>;
  started(sessionId: string): Promise<void>;
  released(): Promise<void>;
}

/** src/providers/sms/outbox-signal.ts: local development only, one object for the whole outbox. */
export interface OutboxSignalRpc extends Rpc.DurableObjectBranded {
  recorded(outbox: string, message: OutboxMessage): Promise<void>;
  nextSince(outbox: string, sinceMs: number, waitMs: number): Promise<OutboxMessage | null>;
}
