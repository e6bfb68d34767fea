/**
 * Who is signed in to the admin console, decided in one place for the JSON API (requireRole in
 * src/api/admin/require-role.ts) and the console pages (src/console/page-auth.tsx) alike.
 */
import { getCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { ADMIN_SESSION_COOKIE } from '../domain/constants';
import type { User } from '../domain/user';
import type { Env } from '../env';
import { accessSignIn } from '../admin/access-sign-in';
import { ACCESS_JWT_HEADER } from '../security/cloudflare-access';
import { clientAddress } from '../security/client-address';
import { sha256Hex } from '../security/crypto';
import { findSessionUser } from '../store/admin-sessions';
import { database } from '../store/db';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in console user; set by requireRole() and the console's requirePage(). */
    adminUser: User;
  }
}

/** `user` when signed in; otherwise whether the browser still held a session that no longer works (expired, signed out elsewhere, disabled). */
export type AdminSignIn = { user: User } | { user: null; sessionEnded: boolean };

/** The signed-in console user of this request. Every way of signing in is resolved here. */
export async function signedInAdmin(c: Context<{ Bindings: Env }>): Promise<AdminSignIn> {
  const db = database(c.env.DB);
  const sessionSecret = getCookie(c, ADMIN_SESSION_COOKIE);
  const sessionUser = sessionSecret ? await findSessionUser(db, await sha256Hex(sessionSecret), new Date()) : null;
  if (sessionUser) return { user: sessionUser };
  // Behind Cloudflare Access (when configured), the Access token signs the user in on every request.
  const accessUser = await accessSignIn(db, c.env, c.req.header(ACCESS_JWT_HEADER), clientAddress(c.req.raw));
  if (accessUser) return { user: accessUser };
  return { user: null, sessionEnded: sessionSecret !== undefined };
}
