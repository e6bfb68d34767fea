/** Sessions sent by push and still waiting, by number HMAC: the companion app's pending-request pull reads them. */
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Database } from './db';
import { pushSessions } from './schema';

/** Idempotent: the session records itself, per number it pushed to, once its push got through. */
export async function recordPushSession(db: Database, session: { sessionId: string; phoneKey: string; deadlineMs: number }): Promise<void> {
  await db.insert(pushSessions).values(session).onConflictDoNothing({ target: [pushSessions.sessionId, pushSessions.phoneKey] });
}

export async function deletePushSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(pushSessions).where(eq(pushSessions.sessionId, sessionId));
}

/** Ids of the number's push sessions whose deadline has not passed, oldest first (at most `limit`). */
export async function pendingPushSessionIds(db: Database, phoneKey: string, nowMs: number, limit = 10): Promise<string[]> {
  const rows = await db
    .select({ sessionId: pushSessions.sessionId })
    .from(pushSessions)
    .where(and(eq(pushSessions.phoneKey, phoneKey), gt(pushSessions.deadlineMs, nowMs)))
    .orderBy(asc(pushSessions.deadlineMs))
    .limit(limit);
  return rows.map((row) => row.sessionId);
}

/** The nightly clean-up: rows whose deadline has passed (a session that settled removed its own already). */
export async function deleteExpiredPushSessions(db: Database, beforeMs: number): Promise<number> {
  const result = await db.delete(pushSessions).where(lt(pushSessions.deadlineMs, beforeMs)).run();
  return result.meta.changes;
}
