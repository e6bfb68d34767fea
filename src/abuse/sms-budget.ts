/**
 * The SMS budget of one endpoint profile, counted by a Durable Object per profile (named by the
 * profile's id). What the count guarantees: every SMS the profile sends, from any location, goes
 * through this one single-threaded object, so the budget is exact: never more than `perHour` in any
 * sliding hour or `perDay` in any sliding day, even under a concurrent burst from many locations.
 * The price is one round trip to the object (near the location that first used it) per SMS; a push to
 * the companion app does not count and does not ask.
 *
 * Compared: a KV counter (like the per-number rate limit) has no atomic increment and takes ~60 s to
 * reach other locations, so each location could spend the whole budget; Cloudflare's rate-limiting
 * binding counts per location and only over 10 or 60 s periods, so it can neither cap a day nor hold
 * one total across locations. Both are cheaper per call, neither bounds what SMS pumping costs.
 */
import { DurableObject } from 'cloudflare:workers';
import { BUDGET_MEMORY_MINUTES, decideBudget, minuteOf, type BudgetDecision, type BudgetWindow, type SmsBudgetRef } from '../domain/sms-budget';
import type { SmsBudgetCounterRpc } from '../durable-objects';
import { inJurisdiction, type Env } from '../env';
import { logEvent } from '../observability/log';

const MINUTE_PREFIX = 'minute:';
const WARNED_KEY = 'warned';

export class SmsBudgetCounter extends DurableObject<Env> implements SmsBudgetCounterRpc {
  /** SMS sent per minute (epoch minute), for the last day. */
  #perMinute = new Map<number, number>();
  /** Until when a refusal of each window has been logged: one warning line per exhausted window. */
  #warnedUntilMs: Partial<Record<BudgetWindow, number>> = {};

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      for (const [key, count] of await ctx.storage.list<number>({ prefix: MINUTE_PREFIX })) this.#perMinute.set(Number(key.slice(MINUTE_PREFIX.length)), count);
      this.#warnedUntilMs = (await ctx.storage.get(WARNED_KEY)) ?? {};
    });
  }

  /** Counts one SMS if it fits the budget; otherwise refuses, with how long to wait. */
  async take(ref: SmsBudgetRef, nowMs = Date.now()): Promise<BudgetDecision> {
    this.#forgetBefore(minuteOf(nowMs) - BUDGET_MEMORY_MINUTES);
    const decision = decideBudget(this.#perMinute, nowMs, ref.budget);
    if (!decision.allowed) {
      await this.#warnOnce(ref, decision, nowMs);
      return decision;
    }
    await this.#add(decision.minute, 1);
    // Nothing is kept once the last SMS has left the longest window.
    await this.ctx.storage.setAlarm(nowMs + (BUDGET_MEMORY_MINUTES + 1) * 60_000);
    return decision;
  }

  /** Gives back an SMS taken at `minute` that was not sent after all (the call was refused later, or the provider failed). */
  async release(minute: number): Promise<void> {
    if ((this.#perMinute.get(minute) ?? 0) > 0) await this.#add(minute, -1);
  }

  async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.#perMinute.clear();
    this.#warnedUntilMs = {};
  }

  async #add(minute: number, delta: number): Promise<void> {
    const count = (this.#perMinute.get(minute) ?? 0) + delta;
    this.#perMinute.set(minute, count);
    await this.ctx.storage.put(`${MINUTE_PREFIX}${minute}`, count);
  }

  #forgetBefore(minute: number): void {
    const old = [...this.#perMinute.keys()].filter((at) => at < minute);
    if (!old.length) return;
    for (const at of old) this.#perMinute.delete(at);
    void this.ctx.storage.delete(old.map((at) => `${MINUTE_PREFIX}${at}`));
  }

  async #warnOnce(ref: SmsBudgetRef, refusal: Extract<BudgetDecision, { allowed: false }>, nowMs: number): Promise<void> {
    if (nowMs < (this.#warnedUntilMs[refusal.window] ?? 0)) return;
    this.#warnedUntilMs = { ...this.#warnedUntilMs, [refusal.window]: nowMs + refusal.retryAfterSeconds * 1000 };
    await this.ctx.storage.put(WARNED_KEY, this.#warnedUntilMs);
    logEvent('warn', 'sms_budget.exhausted', { profile: ref.profileName, window: refusal.window, limit: refusal.limit, retryAfterSeconds: refusal.retryAfterSeconds });
  }
}

const counterOf = (env: Pick<Env, 'SMS_BUDGET' | 'DATA_JURISDICTION'>, profileId: number) => {
  const namespace = inJurisdiction(env, env.SMS_BUDGET);
  return namespace.get(namespace.idFromName(`profile:${profileId}`));
};

type BudgetEnv = Pick<Env, 'SMS_BUDGET' | 'DATA_JURISDICTION'>;

/** Takes one SMS from the profile's budget, or says how long until it has room. */
export const takeSmsBudget = (env: BudgetEnv, ref: SmsBudgetRef): Promise<BudgetDecision> => counterOf(env, ref.profileId).take(ref);

/** Gives back an SMS taken at `minute` that was not sent after all. */
export const releaseSmsBudget = (env: BudgetEnv, profileId: number, minute: number): Promise<void> => counterOf(env, profileId).release(minute);
