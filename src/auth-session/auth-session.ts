/**
 * One Durable Object per authentication. It stores its state before anything else (a restart does
 * not forget it), sends the magic link, sets an alarm at the deadline, and answers the waiting API
 * call when the link page decides, the caller cancels or the alarm fires. Once it has answered, it
 * writes its one authentication log entry to D1, retrying from the alarm if D1 fails.
 *
 * Public methods are the RPC surface; everything else is #private so it cannot be called over RPC.
 * Every method is idempotent: the Worker may call wait() again on a fresh stub after a reset.
 */
import { DurableObject } from 'cloudflare:workers';
import { AUTH_LOG_WRITE_RETRY_SECONDS, SESSION_RETENTION_SECONDS } from '../domain/constants';
import { maskMsisdn } from '../domain/msisdn';
import type { UserMessages } from '../domain/profile';
import { localeForMsisdn, smsBody, withBuiltInTexts } from '../domain/texts';
import type { Env } from '../env';
import { DeliveryError, smsSenderFor } from '../providers/sms/sms-sender';
import { randomSecret, sha256Hex, timingSafeEqualText } from '../security/crypto';
import { insertAuthLogEntry } from '../store/auth-log';
import { database } from '../store/db';
import { cancel, decide, expireIfDue, isSettled, logEntry, markFailed, type Decision, type SessionState, type SessionStatus } from './session-state';

export interface SessionStart {
  msisdn: string;
  profileName: string;
  tokenName: string;
  /** Request over profile texts; empty ones get built-in texts in the reader's language. */
  messages: UserMessages;
  timeoutSeconds: number;
  /** Origin the magic link points at, e.g. https://auth.example.com */
  linkOrigin: string;
}

/** What the magic-link page needs to render; null from view()/decide() means the link is not valid. */
export interface LinkView {
  status: SessionStatus;
  messages: UserMessages;
  profileName: string;
  deadlineMs: number;
}

const STATE_KEY = 'session';
const LINK_SECRET_BYTES = 16;

export class AuthSession extends DurableObject<Env> {
  #state: SessionState | undefined;
  readonly #waiters = new Set<(status: SessionStatus) => void>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Load once, before any call runs, so every transition works on memory and cannot interleave.
    ctx.blockConcurrencyWhile(async () => {
      this.#state = await ctx.storage.get<SessionState>(STATE_KEY);
    });
  }

  /** Creates the session and sends the link; calling it again returns the status without sending again. */
  async start(input: SessionStart): Promise<SessionStatus> {
    if (this.#state) return this.#state.status;
    const secret = randomSecret(LINK_SECRET_BYTES);
    const linkSecretHash = await sha256Hex(secret);
    if (this.#state) return (this.#state as SessionState).status;
    const nowMs = Date.now();
    this.#state = {
      status: 'pending',
      createdAtMs: nowMs,
      deadlineMs: nowMs + input.timeoutSeconds * 1000,
      settledAtMs: null,
      linkSecretHash,
      msisdnMasked: maskMsisdn(input.msisdn),
      profileName: input.profileName,
      tokenName: input.tokenName,
      channel: 'sms',
      logPending: false,
      messages: input.messages,
    };
    await this.ctx.storage.put(STATE_KEY, this.#state);
    await this.ctx.storage.setAlarm(this.#state.deadlineMs);

    const link = `${input.linkOrigin}/l/${this.ctx.id.toString()}/${secret}`;
    try {
      await smsSenderFor(this.env).send({ to: input.msisdn, text: smsBody(withBuiltInTexts(input.messages, localeForMsisdn(input.msisdn)).smsText, link), link });
    } catch (error) {
      const detail = error instanceof DeliveryError ? error.message : String(error);
      console.error(`session ${this.ctx.id.toString().slice(0, 8)}: SMS to ${this.#state.msisdnMasked} failed: ${detail}`);
      await this.#transition(markFailed);
    }
    return this.#state.status;
  }

  /** Resolves with the settled status; pending callers are answered by decide(), cancel() or the alarm. */
  async wait(): Promise<SessionStatus | 'missing'> {
    if (!this.#state) return 'missing';
    await this.#transition(expireIfDue);
    if (isSettled(this.#state)) return this.#state.status;
    return new Promise((resolve) => this.#waiters.add(resolve));
  }

  /** The page's view of the session, or null when the secret does not match. Never changes anything. */
  async view(secret: string): Promise<LinkView | null> {
    if (!(await this.#secretMatches(secret))) return null;
    await this.#transition(expireIfDue);
    return this.#view();
  }

  /** Records the user's decision; `decidedNow` is false when the session was already settled. */
  async decide(secret: string, decision: Decision): Promise<(LinkView & { decidedNow: boolean }) | null> {
    if (!(await this.#secretMatches(secret))) return null;
    const wasPending = this.#state?.status === 'pending';
    await this.#transition((state, nowMs) => decide(state, decision, nowMs));
    const view = this.#view();
    return view && { ...view, decidedNow: wasPending && (view.status === 'accepted' || view.status === 'rejected') };
  }

  /** The calling app went away: the link stops working. */
  async cancel(): Promise<SessionStatus | 'missing'> {
    if (!this.#state) return 'missing';
    await this.#transition(cancel);
    return this.#state.status;
  }

  /**
   * The deadline (times a pending session out); once settled, a retry of a failed log write, then
   * the end of retention (forgets the session).
   */
  async alarm(): Promise<void> {
    if (!this.#state) return;
    if (!isSettled(this.#state)) {
      await this.#transition(expireIfDue);
      if (!isSettled(this.#state)) await this.ctx.storage.setAlarm(this.#state.deadlineMs);
      return;
    }
    const forgetAtMs = (this.#state.settledAtMs ?? 0) + SESSION_RETENTION_SECONDS * 1000;
    // A failed log write is retried every 30 s until the session is forgotten; then its entry is given up.
    if (!(await this.#writeLogEntry()) && Date.now() < forgetAtMs) return;
    if (Date.now() >= forgetAtMs) {
      await this.ctx.storage.deleteAll();
      this.#state = undefined;
    } else {
      await this.ctx.storage.setAlarm(forgetAtMs);
    }
  }

  async #secretMatches(secret: string): Promise<boolean> {
    const hash = await sha256Hex(secret);
    return this.#state !== undefined && timingSafeEqualText(hash, this.#state.linkSecretHash);
  }

  #view(): LinkView | null {
    if (!this.#state) return null;
    const { status, messages, profileName, deadlineMs } = this.#state;
    return { status, messages, profileName, deadlineMs };
  }

  /** Applies a pure transition; on a change, stores it, answers the waiters and schedules the clean-up. */
  async #transition(step: (state: SessionState, nowMs: number) => SessionState): Promise<void> {
    if (!this.#state) return;
    const nowMs = Date.now();
    const next = step(this.#state, nowMs);
    if (next === this.#state) return;
    this.#state = next;
    await this.ctx.storage.put(STATE_KEY, next);
    if (isSettled(next)) {
      await this.ctx.storage.setAlarm(nowMs + SESSION_RETENTION_SECONDS * 1000);
      for (const resolve of this.#waiters) resolve(next.status);
      this.#waiters.clear();
      // After the answers: a slow or failing D1 write never delays a caller or changes the outcome.
      this.ctx.waitUntil(this.#writeLogEntry());
    }
  }

  /**
   * Writes the log entry the settled session owes (`logPending`, stored with the outcome, so a
   * reset cannot lose it). True when nothing is owed any more; on failure the alarm retries in 30 s.
   */
  async #writeLogEntry(): Promise<boolean> {
    const entry = this.#state?.logPending ? logEntry(this.ctx.id.toString(), this.#state) : null;
    if (!entry) return true;
    try {
      await insertAuthLogEntry(database(this.env.DB), entry);
    } catch (error) {
      // D1's own error, not drizzle's wrapper, which repeats the query with its parameters.
      const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      console.error(JSON.stringify({ event: 'auth_log.write_failed', session: entry.sessionId.slice(0, 8), error: detail }));
      await this.ctx.storage.setAlarm(Date.now() + AUTH_LOG_WRITE_RETRY_SECONDS * 1000);
      return false;
    }
    if (!this.#state) return true; // forgotten while writing
    this.#state = { ...this.#state, logPending: false };
    await this.ctx.storage.put(STATE_KEY, this.#state);
    return true;
  }
}
