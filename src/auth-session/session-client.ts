/**
 * The Worker's side of a session: start it in a fresh Durable Object, then wait for the outcome over
 * a hibernatable WebSocket (the object is not billed while the person decides). Deploys reset Durable
 * Objects (sockets close, storage survives), so the wait is re-issued on a fresh stub until the
 * Worker's own deadline; past it, the session is timed out here.
 */
import { WAIT_GRACE_SECONDS } from '../domain/constants';
import { inJurisdiction, type Env } from '../env';
import type { AuthSessionRpc } from '../durable-objects';
import type { SessionStart, StartedSession } from './session-contract';
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

/** Pause before asking again after the session's socket closed without an outcome, so a resetting object is not hammered. */
const REASK_DELAY_MS = 100;

/**
 * One wait on the session object: over a WebSocket it accepts with the Hibernation API, so the object
 * is out of memory while the person decides (see AuthSession.fetch). Ends with the outcome, 'missing'
 * (no such session), 'closed' (the socket closed without an outcome) or 'gave-up' (after `limitMs`).
 */
async function waitOnce(stub: DurableObjectStub<AuthSessionRpc>, limitMs: number, signal?: AbortSignal): Promise<SessionOutcome | 'missing' | 'closed' | 'gave-up'> {
  const response = await stub.fetch('https://session/wait', { headers: { upgrade: 'websocket' } });
  if (response.status === 404) return 'missing';
  if (response.status === 200) return response.json<SessionOutcome>();
  const socket = response.webSocket;
  if (!socket) throw new Error(`session wait: unexpected ${response.status}`);
  socket.accept();
  return new Promise((resolve) => {
    const done = (result: SessionOutcome | 'closed' | 'gave-up') => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', giveUp);
      resolve(result);
    };
    // Past the limit, or once the caller has left, the socket is closed: the object sees nobody waits.
    const giveUp = () => {
      done('gave-up');
      socket.close(1000, 'gave up');
    };
    const timer = setTimeout(giveUp, limitMs);
    if (signal?.aborted) giveUp();
    signal?.addEventListener('abort', giveUp);
    socket.addEventListener('message', (event) => {
      try {
        done(JSON.parse(String(event.data)) as SessionOutcome);
      } catch {
        done('closed');
      }
    });
    socket.addEventListener('close', () => done('closed'));
    socket.addEventListener('error', () => done('closed'));
  });
}

/**
 * The older wait, for the benchmark's comparison only: an RPC held open until the outcome, which keeps
 * the object in memory (and billed) for the whole authentication.
 */
async function rpcWaitOnce(stub: DurableObjectStub<AuthSessionRpc>, limitMs: number): Promise<SessionOutcome | 'missing' | 'gave-up'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([stub.wait(), new Promise<'gave-up'>((resolve) => (timer = setTimeout(() => resolve('gave-up'), limitMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** How the Worker waits: over a hibernatable socket, or (benchmark only) by the older held RPC. */
export type WaitBy = 'socket' | 'rpc';

/**
 * Waits for the session's outcome until `untilMs` (or until `signal` aborts): 'pending' when it has none
 * by then, 'missing' when there is no such session. A socket that closes without an outcome (a reset or
 * deploy) is asked again.
 */
export async function waitForOutcome(
  env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>,
  id: DurableObjectId,
  untilMs: number,
  options: { waitBy?: WaitBy; signal?: AbortSignal } = {},
): Promise<SessionOutcome | 'pending' | 'missing'> {
  const namespace = sessionNamespace(env);
  for (;;) {
    const remainingMs = untilMs - Date.now();
    if (remainingMs <= 0 || options.signal?.aborted) return 'pending';
    let waited: Awaited<ReturnType<typeof waitOnce>>;
    try {
      waited = options.waitBy === 'rpc' ? await rpcWaitOnce(namespace.get(id), remainingMs) : await waitOnce(namespace.get(id), remainingMs, options.signal);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      continue;
    }
    if (waited === 'gave-up') return 'pending';
    if (waited === 'missing') return 'missing';
    if (waited !== 'closed') return waited;
    await new Promise((resolve) => setTimeout(resolve, Math.min(REASK_DELAY_MS, Math.max(0, untilMs - Date.now()))));
  }
}

/**
 * Holds until the outcome of a session whose deadline is `deadlineMs`; past it plus a grace period the
 * session is timed out here (the alarm did not answer in time). 'left' when `signal` aborted first.
 */
export async function outcomeBy(
  env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>,
  id: DurableObjectId,
  deadlineMs: number,
  options: { waitBy?: WaitBy; signal?: AbortSignal } = {},
): Promise<SessionOutcome | 'left'> {
  const waited = await waitForOutcome(env, id, deadlineMs + WAIT_GRACE_SECONDS * 1000, options);
  if (waited !== 'pending' && waited !== 'missing') return waited;
  if (options.signal?.aborted) return 'left';
  // Settle the session so the link stops working too.
  const cancelled = await sessionNamespace(env).get(id).cancel();
  if (cancelled === 'missing') return { status: 'timed_out', channel: 'sms', reason: null };
  return cancelled.status === 'cancelled' ? { ...cancelled, status: 'timed_out' } : cancelled;
}

/** A new session's id: known before it starts, so a caller's hang-up during the start can still reach it. */
export const newSessionId = (env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>): DurableObjectId => sessionNamespace(env).newUniqueId();

/** Starts the session in its fresh Durable Object; nothing waits yet. */
export const startSession = (env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>, id: DurableObjectId, input: SessionStart): Promise<StartedSession> =>
  sessionNamespace(env).get(id).start(input);
