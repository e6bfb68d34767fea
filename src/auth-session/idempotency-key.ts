/**
 * One Durable Object per (endpoint profile, Idempotency-Key): it remembers which session the key
 * started and with which parameters, for IDEMPOTENCY_WINDOW_MINUTES, then forgets it by alarm.
 *
 * The guarantee across locations: a Durable Object has one instance worldwide and runs one call at a
 * time, so two requests with the same key, from any two locations at the same moment, cannot both
 * start a session: the first claims the key, the second waits for that start and gets the same session
 * (or, with different parameters, 422). It holds for the window only; after it the key is new again.
 * The key is stored as a hash, the parameters only as a SHA-256 fingerprint: no phone number is kept.
 */
import { DurableObject } from 'cloudflare:workers';
import { claimDecision, IDEMPOTENCY_START_STALE_MS, IDEMPOTENCY_WINDOW_MINUTES, type IdempotencyRecord } from '../domain/idempotency';
import type { Claim, IdempotencyKeyRpc } from '../durable-objects';
import type { Env } from '../env';

const RECORD_KEY = 'record';

export class IdempotencyKey extends DurableObject<Env> implements IdempotencyKeyRpc {
  #record: IdempotencyRecord | undefined;
  /** Claims waiting for a start under way to report back. */
  readonly #waiting = new Set<() => void>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.#record = await ctx.storage.get<IdempotencyRecord>(RECORD_KEY);
    });
  }

  /** Claims the key for a request with this fingerprint; a second one while the first is still starting waits for it. */
  async claim(fingerprint: string): Promise<Claim> {
    for (;;) {
      const nowMs = Date.now();
      const decision = claimDecision(this.#record, fingerprint, nowMs);
      if (decision === 'conflict') return { result: 'conflict' };
      if (decision === 'same') return { result: 'same', sessionId: this.#record!.sessionId! };
      if (decision === 'new') {
        this.#record = { fingerprint, sessionId: null, claimedAtMs: nowMs, expiresAtMs: nowMs + IDEMPOTENCY_WINDOW_MINUTES * 60_000 };
        await this.ctx.storage.put(RECORD_KEY, this.#record);
        await this.ctx.storage.setAlarm(this.#record.expiresAtMs);
        return { result: 'new' };
      }
      // Until the start reports back, or is so old that its Worker must have died (the key is then new).
      await this.#changed(this.#record!.claimedAtMs + IDEMPOTENCY_START_STALE_MS - nowMs + 1);
    }
  }

  /** The claim's session started: later claims get it. */
  async started(sessionId: string): Promise<void> {
    if (!this.#record || this.#record.sessionId !== null) return;
    this.#record = { ...this.#record, sessionId };
    await this.ctx.storage.put(RECORD_KEY, this.#record);
    this.#notify();
  }

  /** The claim's request was refused before a session existed (bad number, rate limit): the key is free again. */
  async released(): Promise<void> {
    if (!this.#record || this.#record.sessionId !== null) return;
    this.#record = undefined;
    await this.ctx.storage.deleteAll();
    this.#notify();
  }

  async alarm(): Promise<void> {
    if (this.#record && this.#record.expiresAtMs > Date.now()) return this.ctx.storage.setAlarm(this.#record.expiresAtMs);
    this.#record = undefined;
    await this.ctx.storage.deleteAll();
  }

  /** Resolves when the record changes, or after `waitMs`. */
  #changed(waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, waitMs));
      this.#waiting.add(wake);
    });
  }

  #notify(): void {
    for (const wake of [...this.#waiting]) wake();
  }
}
