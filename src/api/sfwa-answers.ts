/**
 * How the public API answers a session, in the profile's dialect: the settled outcome (the same for the
 * synchronous call, an async start that settled within its wait, and the status route), a pending
 * session, and Mideye Server's shape of a refusal.
 */
import type { Context } from 'hono';
import { outcomeCode, type SessionOutcome } from '../auth-session/session-state';
import { ApiError, apiError, rateLimited } from '../domain/api-error';
import { dialectCode, SERVER_FAILED_DELIVERY, SERVER_REFUSAL, type Dialect } from '../domain/dialect';
import { publicOrigin, type Env } from '../env';
import { NO_STORE } from '../http/no-store';

type ApiContext = Context<{ Bindings: Env }>;

const DELIVERY_FAILED_MESSAGE = 'The authentication message could not be delivered';

/**
 * A settled session's answer. The server dialect answers exactly as Mideye Server does (`{code}`, and a
 * delivery failure as the outcome FAILED_DELIVERY); the cloud dialect adds the channel, why when it was
 * not a plain answer, the approver with assisted login, the signed receipt and, where asked by session id, the session.
 */
export function outcomeResponse(c: ApiContext, dialect: Dialect, result: SessionOutcome, extra: { assisted: boolean; session?: string }): Response {
  const code = outcomeCode(result);
  const session = extra.session ? { session: extra.session } : {};
  if (code === 'RATE_LIMITED') throw rateLimited('budget', result.retryAfterSeconds ?? 60);
  if (code === 'DELIVERY_FAILED') {
    if (dialect === 'server') return c.json({ code: SERVER_FAILED_DELIVERY, message: DELIVERY_FAILED_MESSAGE, ...session }, 200, NO_STORE);
    throw apiError('DELIVERY_FAILED', { message: DELIVERY_FAILED_MESSAGE });
  }
  if (dialect === 'server') return c.json({ code: dialectCode('server', code), ...session }, 200, NO_STORE);
  return c.json(
    {
      code,
      ...session,
      channel: result.channel,
      ...(result.reason && { reason: result.reason }),
      ...(extra.assisted && { approver: result.approver ?? null }),
      ...(result.receipt && { receipt: result.receipt }),
    },
    200,
    NO_STORE,
  );
}

/** Where a session's status is read: GET /api/sfwa/sessions/{session}. */
export const statusUrl = (c: ApiContext, session: string): string => `${publicOrigin(c.env, c.req.url)}/api/sfwa/sessions/${session}`;

/** A session still waiting for the person: `{code: "PENDING", session, expiresAt}`, the same in both dialects. */
export const pendingBody = (session: string, deadlineMs: number) => ({ code: 'PENDING' as const, session, expiresAt: new Date(deadlineMs).toISOString() });

/**
 * Mideye Server answers every refusal with the code BAD_REQUEST; its clients read only `code`.
 * We keep the HTTP status and the `message` (and field `errors`) beside it, so a person debugging
 * sees why, and `reason` carries the cloud API's code for programs.
 */
function serverRefusal(error: ApiError): Response {
  const { code, reason, ...detail } = error.body;
  // `reason` already says the cloud code here; which rate limit it was goes beside it as `limit`.
  const body = { code: SERVER_REFUSAL, reason: code, ...(reason && { limit: reason }), ...detail };
  const headers = new Headers(error.getResponse().headers);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** Runs `answer`, turning its refusals into the server dialect's shape when the profile speaks it. */
export async function inDialect(dialect: Dialect, answer: () => Promise<Response>): Promise<Response> {
  try {
    return await answer();
  } catch (error) {
    if (dialect === 'server' && error instanceof ApiError) return serverRefusal(error);
    throw error;
  }
}
