/**
 * A session's status, for callers that cannot hold a connection for the whole authentication:
 * GET /api/sfwa/sessions/{session}[?wait=N] answers PENDING or the outcome (as the synchronous call
 * would, in the profile's dialect); `wait` (1–25 s) holds until the outcome or N seconds, through the
 * same hibernating wait as the synchronous call. DELETE cancels it (its link stops working).
 *
 * Only a key of the profile that started the session may read it; any other key, an unknown session
 * and a malformed id all answer the same 404, so nothing tells a guesser which sessions exist.
 */
import { Hono, type Context } from 'hono';
import { existingSession, waitForOutcome } from '../auth-session/session-client';
import type { SessionStatusView } from '../auth-session/session-contract';
import { apiError } from '../domain/api-error';
import { STATUS_WAIT_MAX_SECONDS, WAIT_GRACE_SECONDS } from '../domain/constants';
import type { Profile } from '../domain/profile';
import type { Env } from '../env';
import { database } from '../store/db';
import { findProfileByIdCached } from '../store/profiles';
import { NO_STORE } from '../http/no-store';
import { inDialect, outcomeResponse, pendingBody } from './sfwa-answers';
import { checkCaller } from './sfwa-caller';

export const sfwaSessionsApi = new Hono<{ Bindings: Env }>();

type ApiContext = Context<{ Bindings: Env }>;

const notFound = (session: string) => apiError('NOT_FOUND', { message: `No session "${session}" for this api-key` });

/** `wait` as whole seconds 1–25, or null when absent; anything else is refused, naming it. */
function waitSecondsOf(c: ApiContext): number | null {
  const wait = c.req.query('wait');
  if (wait === undefined) return null;
  if (!/^\d{1,3}$/.test(wait) || Number(wait) < 1 || Number(wait) > STATUS_WAIT_MAX_SECONDS) {
    throw apiError('BAD_REQUEST', { errors: [{ field: 'wait', message: `must be a whole number of seconds from 1 to ${STATUS_WAIT_MAX_SECONDS}` }] });
  }
  return Number(wait);
}

/** The session and its profile, when the caller's key belongs to that profile; else 404. */
async function ownedSession(c: ApiContext, nowMs: number) {
  const id = c.req.param('session') ?? '';
  const stub = existingSession(c.env, id);
  const status = stub ? await stub.status() : 'missing';
  if (!stub || status === 'missing' || status.profileId === null) throw notFound(id);
  const profile = await findProfileByIdCached(database(c.env.DB), status.profileId, nowMs);
  if (!profile) throw notFound(id);
  const key = await checkCaller(c, profile, nowMs);
  if (!key.ok) throw notFound(id);
  return { id, stub, profile, status };
}

function answer(c: ApiContext, profile: Profile, id: string, status: SessionStatusView): Response {
  if (status.outcome.status === 'pending') return c.json(pendingBody(id, status.deadlineMs), 200, NO_STORE);
  return outcomeResponse(c, profile.dialect, status.outcome, { assisted: status.outcome.approver !== undefined, session: id });
}

sfwaSessionsApi.get('/:session', async (c) => {
  const nowMs = Date.now();
  const waitSeconds = waitSecondsOf(c);
  const { id, stub, profile, status } = await ownedSession(c, nowMs);
  return inDialect(profile.dialect, async () => {
    if (status.outcome.status !== 'pending' || waitSeconds === null) return answer(c, profile, id, status);
    const waited = await waitForOutcome(c.env, stub.id, Math.min(nowMs + waitSeconds * 1000, status.deadlineMs + WAIT_GRACE_SECONDS * 1000));
    if (waited === 'missing') throw notFound(id);
    return answer(c, profile, id, waited === 'pending' ? status : { ...status, outcome: waited });
  });
});

sfwaSessionsApi.delete('/:session', async (c) => {
  const { id, stub, profile } = await ownedSession(c, Date.now());
  const cancelled = await stub.cancel();
  if (cancelled === 'missing') throw notFound(id);
  return inDialect(profile.dialect, async () => answer(c, profile, id, { profileId: profile.id, deadlineMs: 0, outcome: cancelled }));
});
