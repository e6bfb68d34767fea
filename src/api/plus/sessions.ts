/**
 * The app's session endpoints (docs/companion-app.md):
 *   POST /api/plus/v1/sessions/{sessionId}/decision { deviceId, decision, matchCode?, textsHash?, timestamp, signature }
 *        signed ('decision', [sessionId, deviceId, decision, matchCode or "", textsHash (v2)]) -> 200 { status }
 *   POST /api/plus/v1/pending { deviceId, timestamp, signature } signed ('pending', [deviceId]) -> 200 { requests: [...] }
 * A decision goes straight to the session's Durable Object, which holds the public keys of the
 * devices it pushed to; it reads only the device's row, to refuse one deactivated since the push.
 */
import { Hono } from 'hono';
import { existingSession } from '../../auth-session/session-client';
import { apiError } from '../../domain/api-error';
import { deviceDecisionSchema, signedRequestSchema, V1_DECISIONS_SUNSET_DATE, V1_DECISIONS_SUNSET_MS } from '../../domain/device';
import type { Env } from '../../env';
import { authenticateSignedRequest } from '../../access/signed-request';
import { database } from '../../store/db';
import { pendingPushSessionIds } from '../../store/push-sessions';
import { readJsonBody } from '../request-body';
import { logEvent } from '../../observability/log';

export const sessionAppApi = new Hono<{ Bindings: Env }>();

// RFC 8594: a v1 decision (no textsHash) is told when v1 ends; after that it is refused, naming the member.
const V1_SUNSET = new Date(V1_DECISIONS_SUNSET_MS).toUTCString();

sessionAppApi.post('/sessions/:sessionId/decision', async (c) => {
  const answer = await readJsonBody(c, deviceDecisionSchema);
  if (answer.textsHash === undefined) {
    if (Date.now() >= V1_DECISIONS_SUNSET_MS) {
      const message = `is required since ${V1_DECISIONS_SUNSET_DATE}: sign the decision with protocol v2 (docs/companion-app.md)`;
      throw apiError('BAD_REQUEST', { errors: [{ field: 'textsHash', message }] });
    }
    c.header('sunset', V1_SUNSET);
  }
  const session = existingSession(c.env, c.req.param('sessionId'));
  const result = session ? await session.decideFromDevice(answer) : ({ result: 'refused', reason: 'missing' } as const);
  if (result.result === 'refused') {
    // Which check failed goes to the log; the app is told only that its answer was not accepted.
    logEvent('warn', 'plus.decision_refused', { deviceId: answer.deviceId.slice(0, 8), reason: result.reason });
    if (result.reason === 'missing') throw apiError('NOT_FOUND', { message: 'No such authentication request' });
    throw apiError('UNAUTHORIZED', { message: 'The answer is not signed by an active device this request was sent to, or is stale or replayed' });
  }
  if (result.result === 'already-answered') throw apiError('CONFLICT', { message: 'This request has already been answered' });
  return c.json({ status: result.status });
});

sessionAppApi.post('/pending', async (c) => {
  const request = await readJsonBody(c, signedRequestSchema);
  const nowMs = Date.now();
  const db = database(c.env.DB);
  const check = await authenticateSignedRequest(db, request, 'pending', [request.deviceId], nowMs);
  if (!check.ok) {
    logEvent('warn', 'plus.pending_refused', { deviceId: request.deviceId.slice(0, 8), reason: check.reason });
    throw apiError('UNAUTHORIZED', { message: 'Unknown device, or a stale, replayed or badly signed request' });
  }
  const ids = await pendingPushSessionIds(db, check.device.phoneKey, nowMs);
  const requests = await Promise.all(ids.map((id) => existingSession(c.env, id)?.appRequest(check.device.id) ?? null));
  return c.json({ requests: requests.filter((request) => request !== null) });
});
