/**
 * The Worker's side of a session: start it in a fresh Durable Object, then wait for the outcome.
 * Deploys reset Durable Objects (in-memory waiters are lost, storage survives), so the wait is
 * re-issued on a fresh stub until the Worker's own deadline; past it, the session is timed out here.
 */
import { WAIT_GRACE_SECONDS } from '../domain/constants';
import { inJurisdiction, type Env } from '../env';
import type { SessionStart } from './auth-session';
import type { SessionOutcome } from './session-state';

type Namespace = Env['AUTH_SESSION'];

/** The namespace, pinned to a jurisdiction (e.g. "eu") when configured. */
export const sessionNamespace = (env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>): Namespace => inJurisdiction(env, env.AUTH_SESSION);

/** The stub of an existing session from its id string, or null when the string is not one of ours. */
export function existingSession(env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>, id: string) {
  const namespace = sessionNamespace(env);
  try {
    return namespace.get(namespace.idFromString(id));
  } catch {
    return null;
  }
}

const isRetryable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { retryable?: boolean }).retryable === true;

export interface RunningSession {
  id: DurableObjectId;
  /** Where the session stands once started: pending, or already failed (the SMS could not be sent or had no budget). */
  started: SessionOutcome;
  /** Waits for the outcome; always settles by the deadline plus a grace period. */
  outcome(): Promise<SessionOutcome>;
  cancel(): Promise<unknown>;
}

export async function startSession(env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>, input: SessionStart): Promise<RunningSession> {
  const namespace = sessionNamespace(env);
  const id = namespace.newUniqueId();
  const started = await namespace.get(id).start(input);
  const giveUpAtMs = Date.now() + (input.timeoutSeconds + WAIT_GRACE_SECONDS) * 1000;

  async function outcome(): Promise<SessionOutcome> {
    for (;;) {
      const remainingMs = giveUpAtMs - Date.now();
      if (remainingMs <= 0) break;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const waited = await Promise.race([
          namespace.get(id).wait(),
          new Promise<'gave-up'>((resolve) => (timer = setTimeout(() => resolve('gave-up'), remainingMs))),
        ]);
        if (waited === 'gave-up') break;
        if (waited !== 'missing') return waited;
        break;
      } catch (error) {
        if (!isRetryable(error)) throw error;
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
    }
    // The alarm did not answer in time: settle the session so the link stops working too.
    const cancelled = await namespace.get(id).cancel();
    if (cancelled === 'missing') return { status: 'timed_out', channel: 'sms', reason: null };
    return cancelled.status === 'cancelled' ? { ...cancelled, status: 'timed_out' } : cancelled;
  }

  return { id, started, outcome, cancel: () => namespace.get(id).cancel() };
}
