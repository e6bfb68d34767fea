/**
 * Console sign-in and sign-out, shared by POST/DELETE /admin/api/session and the console's sign-in
 * and sign-out forms: the same password check, the same session row, the same cookie.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { guessThrottle } from '../abuse/guess-throttle';
import { apiError, rateLimited } from '../domain/api-error';
import { ADMIN_SESSION_COOKIE, ADMIN_SESSION_TTL_SECONDS, PASSWORD_PBKDF2_ITERATIONS } from '../domain/constants';
import { SIGN_IN_ADDRESS_POLICY, SIGN_IN_USERNAME_POLICY } from '../domain/guess-throttle';
import type { Credentials, User } from '../domain/user';
import type { Env } from '../env';
import { addressKey, clientAddress } from '../security/client-address';
import { randomSecret, sha256Hex, verifyPassword } from '../security/crypto';
import { deleteAdminSession, findSessionUser, insertAdminSession } from '../store/admin-sessions';
import { database } from '../store/db';
import { findUserByUsername } from '../store/users';
import { recordAudit } from './audit';
import { logEvent } from '../observability/log';

const SESSION_SECRET_BYTES = 32;
// Path=/admin: the console pages and their API; Strict: never sent on a cross-site request.
export const SESSION_COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'Strict', path: '/admin' } as const;
// Verified when the username is unknown, so the answer takes as long as for a wrong password.
const DUMMY_PASSWORD_HASH = `pbkdf2-sha256$${PASSWORD_PBKDF2_ITERATIONS}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

/** The throttles a sign-in for `username` from `address` answers to: the username's, and the address's when there is one. */
async function signInThrottles(env: Env, username: string, address: string | null) {
  const throttles = [{ throttle: guessThrottle(env, `sign-in-user:${await sha256Hex(username)}`), policy: SIGN_IN_USERNAME_POLICY }];
  if (address) throttles.push({ throttle: guessThrottle(env, `sign-in-address:${await addressKey(env, address)}`), policy: SIGN_IN_ADDRESS_POLICY });
  return throttles;
}

/**
 * Checks the password and starts a session (row + cookie); one 401 for every reason it fails. After
 * too many failures for the username or from the client address, 429 with Retry-After, without
 * checking the password (so the right one does not get through a lock either).
 */
export async function signIn(c: Context<{ Bindings: Env }>, { username, password }: Credentials): Promise<User> {
  const db = database(c.env.DB);
  const address = clientAddress(c.req.raw);
  const throttles = await signInThrottles(c.env, username, address);
  const lockedSeconds = Math.max(...(await Promise.all(throttles.map(({ throttle }) => throttle.lockedFor()))));
  // Who tried, and from where, goes to the log and the audit log; the password never does.
  const refused = async (reason: string) => {
    logEvent('warn', 'admin.sign_in_refused', { reason, username, address });
    await recordAudit(db, { username, address }, 'sign-in.refused', username, { reason });
  };
  if (lockedSeconds > 0) {
    await refused('throttled');
    throw rateLimited('sign-in', lockedSeconds);
  }
  const user = await findUserByUsername(db, username);
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !passwordMatches || user.disabled) {
    // One answer for every reason; the reason goes to the log only.
    await Promise.all([
      refused(!user ? 'unknown-user' : !passwordMatches ? 'wrong-password' : 'disabled'),
      ...throttles.map(({ throttle, policy }) => throttle.failed(policy)),
    ]);
    throw apiError('UNAUTHORIZED', { message: 'Wrong username or password' });
  }
  // The username's failures are forgiven; the address's are not (one's own account must not reset a guesser's count).
  c.executionCtx.waitUntil(throttles[0]!.throttle.succeeded());
  const now = new Date();
  const sessionSecret = randomSecret(SESSION_SECRET_BYTES);
  await insertAdminSession(
    db,
    { idHash: await sha256Hex(sessionSecret), userId: user.id, expiresAt: new Date(now.getTime() + ADMIN_SESSION_TTL_SECONDS * 1000) },
    now,
  );
  setCookie(c, ADMIN_SESSION_COOKIE, sessionSecret, { ...SESSION_COOKIE_OPTIONS, maxAge: ADMIN_SESSION_TTL_SECONDS });
  await recordAudit(db, { username: user.username, address }, 'sign-in', user.username);
  return user;
}

/** Ends the session the cookie names, if any, and clears the cookie. */
export async function signOut(c: Context<{ Bindings: Env }>): Promise<void> {
  const db = database(c.env.DB);
  const sessionSecret = getCookie(c, ADMIN_SESSION_COOKIE);
  if (sessionSecret) {
    const idHash = await sha256Hex(sessionSecret);
    const user = await findSessionUser(db, idHash, new Date());
    await deleteAdminSession(db, idHash);
    if (user) await recordAudit(db, { username: user.username, address: clientAddress(c.req.raw) }, 'sign-out', user.username);
  }
  deleteCookie(c, ADMIN_SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
}
