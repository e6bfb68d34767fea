/**
 * Admin console sessions. The cookie carries a random value; only its SHA-256 is stored, so someone
 * who reads the table cannot sign in with what they read.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import type { User } from '../domain/user';
import type { Database } from './db';
import { adminSessions, users } from './schema';
import { toUser } from './users';

/** Stores a new session, and drops the user's expired ones in the same batch so rows do not pile up. */
export async function insertAdminSession(db: Database, session: { idHash: string; userId: number; expiresAt: Date }, now: Date): Promise<void> {
  await db.batch([
    db.delete(adminSessions).where(and(eq(adminSessions.userId, session.userId), lte(adminSessions.expiresAt, now))),
    db.insert(adminSessions).values(session),
  ]);
}

/** The signed-in user of a session; null when the session is unknown, expired, or its account disabled. */
export async function findSessionUser(db: Database, idHash: string, now: Date): Promise<User | null> {
  const row = await db
    .select({ user: users })
    .from(adminSessions)
    .innerJoin(users, eq(users.id, adminSessions.userId))
    .where(and(eq(adminSessions.idHash, idHash), gt(adminSessions.expiresAt, now), eq(users.disabled, false)))
    .get();
  return row ? toUser(row.user) : null;
}

export async function deleteAdminSession(db: Database, idHash: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.idHash, idHash));
}

/** Drops every expired session (the nightly clean-up; sign-in already drops the user's own). Returns how many. */
export async function deleteExpiredAdminSessions(db: Database, now: Date): Promise<number> {
  const result = await db.delete(adminSessions).where(lte(adminSessions.expiresAt, now)).run();
  return result.meta.changes;
}
