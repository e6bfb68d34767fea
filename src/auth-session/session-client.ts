/**
 * The Worker's side of a session: start it in a fresh Durable Object, then wait for the outcome over
 * a hibernatable WebSocket (the object is not billed while the person decides). Deploys reset Durable
 * Objects (sockets close, storage survives), so the wait is re-issued on a fresh stub until the
 * Worker's own deadline; past it, the session is timed out here.
 */
import { WAIT_GRACE_SECONDS } from '../domain/constants';
import { inJurisdiction, type Env } from '../env';
import type { AuthSession, SessionStart } from './auth-session';
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
async function waitOnce(stub: DurableObjectStub<AuthSession>, limitMs: number): Promise<SessionOutcome | 'missing' | 'closed' | 'gave-up'> {
  const response = await stub.fetch('https://session/wait', { headers: { upgrade: 'websocket' } });
  if (response.status === 404) return 'missing';
  if (response.status === 200) return response.json<SessionOutcome>();
  const socket = response.webSocket;
  if (!socket) throw new Error(`session wait: unexpected ${response.status}`);
  socket.accept();
  return new Promise((resolve) => {
    const done = (result: SessionOutcome | 'closed' | 'gave-up') => {
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      done('gave-up');
      socket.close(1000, 'gave up');
    }, limitMs);
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

export interface RunningSession {
  id: DurableObjectId;
  /** Where the session stands once started: pending, or already failed (the SMS could not be sent or had no budget). */
  started: SessionOutcome;
  /** Waits for the outcome; always settles by the deadline plus a grace period. */
  outcome(): Promise<SessionOutcome>;
  cancel(): Promise<unknown>;
}

/**
 * The older wait, for the benchmark's comparison only: an RPC held open until the outcome, which keeps
 * the object in memory (and billed) for the whole authentication.
 */
async function rpcWaitOnce(stub: DurableObjectStub<AuthSession>, limitMs: number): Promise<SessionOutcome | 'missing' | 'gave-up'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([stub.wait(), new Promise<'gave-up'>((resolve) => (timer = setTimeout(() => resolve('gave-up'), limitMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** How the Worker waits: over a hibernatable socket, or (benchmark only) by the older held RPC. */
export type WaitBy = 'socket' | 'rpc';

export async function startSession(env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>, input: SessionStart, waitBy: WaitBy = 'socket'): Promise<RunningSession> {
  const namespace = sessionNamespace(env);
  const id = namespace.newUniqueId();
  const started = await namespace.get(id).start(input);
  const giveUpAtMs = Date.now() + (input.timeoutSeconds + WAIT_GRACE_SECONDS) * 1000;

  async function outcome(): Promise<SessionOutcome> {
    for (;;) {
      const remainingMs = giveUpAtMs - Date.now();
      if (remainingMs <= 0) break;
      let waited: Awaited<ReturnType<typeof waitOnce>>;
      try {
        waited = await (waitBy === 'rpc' ? rpcWaitOnce : waitOnce)(namespace.get(id), remainingMs);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        continue;
      }
      if (waited === 'gave-up' || waited === 'missing') break;
      // The socket closed without an outcome (a reset or deploy of the object): ask again, briefly later.
      if (waited === 'closed') await new Promise((resolve) => setTimeout(resolve, Math.min(REASK_DELAY_MS, Math.max(0, giveUpAtMs - Date.now()))));
      else return waited;
    }
    // The alarm did not answer in time: settle the session so the link stops working too.
    const cancelled = await namespace.get(id).cancel();
    if (cancelled === 'missing') return { status: 'timed_out', channel: 'sms', reason: null };
    return cancelled.status === 'cancelled' ? { ...cancelled, status: 'timed_out' } : cancelled;
  }

  return { id, started, outcome, cancel: () => namespace.get(id).cancel() };
}
