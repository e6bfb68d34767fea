/** Admin console sign-in check: the session cookie names a user, and the user's role must be high enough. */
import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { apiError } from '../../domain/api-error';
import { ADMIN_SESSION_COOKIE } from '../../domain/constants';
import { hasRole, type Role, type User } from '../../domain/user';
import type { Env } from '../../env';
import { sha256Hex } from '../../security/crypto';
import { findSessionUser } from '../../store/admin-sessions';
import { database } from '../../store/db';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in console user; set by requireRole(). */
    adminUser: User;
  }
}

/** 401 when not signed in (or the session expired, or the account is disabled); 403 when the role is below `required`. */
export function requireRole(required: Role): MiddlewareHandler<{ Bindings: Env }> {
  return async function requireRoleMiddleware(c, next) {
    const sessionSecret = getCookie(c, ADMIN_SESSION_COOKIE);
    const user = sessionSecret ? await findSessionUser(database(c.env.DB), await sha256Hex(sessionSecret), new Date()) : null;
    if (!user) throw apiError('UNAUTHORIZED', { message: 'Sign in to the admin console' });
    if (!hasRole(user.role, required)) throw apiError('FORBIDDEN');
    c.set('adminUser', user);
    await next();
  };
}
