/**
 * Console sign-in throttles, each a Durable Object named by what it throttles (a username, a client
 * address). One object sees every attempt for its subject from every location, so the limits hold
 * exactly: a password guesser spread over many Cloudflare locations gets no more tries than one.
 * A sign-in asks both objects before the password is checked (a locked subject costs no PBKDF2) and
 * tells them afterwards. State is forgotten by an alarm once it no longer matters.
 */
import { DurableObject } from 'cloudflare:workers';
import { forgetAtMs, freshThrottle, lockedForSeconds, recordFailure, type ThrottlePolicy, type ThrottleState } from '../domain/guess-throttle';
import type { GuessThrottleRpc } from '../durable-objects';
import { inJurisdiction, type Env } from '../env';

const STATE_KEY = 'throttle';

export class GuessThrottle extends DurableObject<Env> implements GuessThrottleRpc {
  #state: ThrottleState = freshThrottle();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.#state = (await ctx.storage.get<ThrottleState>(STATE_KEY)) ?? freshThrottle();
    });
  }

  /** Seconds the subject is locked for; 0 when an attempt may be checked. */
  async lockedFor(nowMs = Date.now()): Promise<number> {
    return lockedForSeconds(this.#state, nowMs);
  }

  /** A failed attempt; returns the seconds of the lock it started (0 if none). */
  async failed(policy: ThrottlePolicy, nowMs = Date.now()): Promise<number> {
    this.#state = recordFailure(this.#state, policy, nowMs);
    await this.ctx.storage.put(STATE_KEY, this.#state);
    await this.ctx.storage.setAlarm(forgetAtMs(this.#state, policy));
    return lockedForSeconds(this.#state, nowMs);
  }

  /** A successful sign-in: the subject's failures are forgiven. */
  async succeeded(): Promise<void> {
    if (this.#state.failuresMs.length === 0 && this.#state.lockouts === 0) return;
    this.#state = freshThrottle();
    await this.ctx.storage.deleteAll();
  }

  async alarm(): Promise<void> {
    this.#state = freshThrottle();
    await this.ctx.storage.deleteAll();
  }
}

/** The throttle object of one subject, e.g. "user:{hash}" or "address:{hash}". */
export function guessThrottle(env: Pick<Env, 'GUESS_THROTTLE' | 'DATA_JURISDICTION'>, subject: string) {
  const namespace = inJurisdiction(env, env.GUESS_THROTTLE);
  return namespace.get(namespace.idFromName(subject));
}
