/**
 * Console sign-in and sign-out, shared by POST/DELETE /admin/api/session and the console's sign-in
 * and sign-out forms: the same password check, the same session row, the same cookie.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { apiError } from '../domain/api-error';
import { ADMIN_SESSION_COOKIE, ADMIN_SESSION_TTL_SECONDS, PASSWORD_PBKDF2_ITERATIONS } from '../domain/constants';
import type { Credentials, User } from '../domain/user';
import type { Env } from '../env';
import { randomSecret, sha256Hex, verifyPassword } from '../security/crypto';
import { deleteAdminSession, insertAdminSession } from '../store/admin-sessions';
import { database } from '../store/db';
import { findUserByUsername } from '../store/users';

const SESSION_SECRET_BYTES = 32;
// Path=/admin: the console pages and their API; Strict: never sent on a cross-site request.
export const SESSION_COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'Strict', path: '/admin' } as const;
// Verified when the username is unknown, so the answer takes as long as for a wrong password.
const DUMMY_PASSWORD_HASH = `pbkdf2-sha256$${PASSWORD_PBKDF2_ITERATIONS}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

/** Checks the password and starts a session (row + cookie); one 401 for every reason it fails. */
export async function signIn(c: Context<{ Bindings: Env }>, { username, password }: Credentials): Promise<User> {
  const db = database(c.env.DB);
  const user = await findUserByUsername(db, username);
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !passwordMatches || user.disabled) {
    // One answer for every reason; the reason goes to the log only.
    const reason = !user ? 'unknown-user' : !passwordMatches ? 'wrong-password' : 'disabled';
    console.warn(JSON.stringify({ event: 'admin.sign_in_refused', reason }));
    throw apiError('UNAUTHORIZED', { message: 'Wrong username or password' });
  }
  const now = new Date();
  const sessionSecret = randomSecret(SESSION_SECRET_BYTES);
  await insertAdminSession(
    db,
    { idHash: await sha256Hex(sessionSecret), userId: user.id, expiresAt: new Date(now.getTime() + ADMIN_SESSION_TTL_SECONDS * 1000) },
    now,
  );
  setCookie(c, ADMIN_SESSION_COOKIE, sessionSecret, { ...SESSION_COOKIE_OPTIONS, maxAge: ADMIN_SESSION_TTL_SECONDS });
  return user;
}

/** Ends the session the cookie names, if any, and clears the cookie. */
export async function signOut(c: Context<{ Bindings: Env }>): Promise<void> {
  const sessionSecret = getCookie(c, ADMIN_SESSION_COOKIE);
  if (sessionSecret) await deleteAdminSession(database(c.env.DB), await sha256Hex(sessionSecret));
  deleteCookie(c, ADMIN_SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
}
