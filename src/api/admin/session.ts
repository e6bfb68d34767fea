/** /admin/api/session: sign in (POST), who am I (GET), sign out (DELETE). */
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { apiError } from '../../domain/api-error';
import { ADMIN_SESSION_COOKIE, ADMIN_SESSION_TTL_SECONDS, PASSWORD_PBKDF2_ITERATIONS } from '../../domain/constants';
import { loginSchema, type User } from '../../domain/user';
import type { Env } from '../../env';
import { randomSecret, sha256Hex, verifyPassword } from '../../security/crypto';
import { deleteAdminSession, insertAdminSession } from '../../store/admin-sessions';
import { database } from '../../store/db';
import { findUserByUsername } from '../../store/users';
import { requireRole } from './require-role';
import { readJsonBody } from './validation';

export const sessionApi = new Hono<{ Bindings: Env }>();

const SESSION_SECRET_BYTES = 32;
// Path=/admin: the console and its API only; Strict: never sent on a cross-site request.
const COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'Strict', path: '/admin' } as const;
// Verified when the username is unknown, so the answer takes as long as for a wrong password.
const DUMMY_PASSWORD_HASH = `pbkdf2-sha256$${PASSWORD_PBKDF2_ITERATIONS}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

const sessionView = (user: User) => ({ username: user.username, role: user.role });

sessionApi.post('/', async (c) => {
  const { username, password } = await readJsonBody(c, loginSchema);
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
  setCookie(c, ADMIN_SESSION_COOKIE, sessionSecret, { ...COOKIE_OPTIONS, maxAge: ADMIN_SESSION_TTL_SECONDS });
  return c.json(sessionView(user));
});

sessionApi.get('/', requireRole('user'), (c) => c.json(sessionView(c.get('adminUser'))));

sessionApi.delete('/', async (c) => {
  const sessionSecret = getCookie(c, ADMIN_SESSION_COOKIE);
  if (sessionSecret) await deleteAdminSession(database(c.env.DB), await sha256Hex(sessionSecret));
  deleteCookie(c, ADMIN_SESSION_COOKIE, COOKIE_OPTIONS);
  return c.body(null, 204);
});
