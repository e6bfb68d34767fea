/** The admin API's role check: 401 JSON when nobody is signed in, 403 below the role (sign-in itself: src/http/signed-in-admin.ts). */
import type { MiddlewareHandler } from 'hono';
import { apiError } from '../../domain/api-error';
import { hasRole, type Role } from '../../domain/user';
import type { Env } from '../../env';
import { signedInAdmin } from '../../http/signed-in-admin';

/** 401 when not signed in (or the session expired, or the account is disabled); 403 when the role is below `required`. */
export function requireRole(required: Role): MiddlewareHandler<{ Bindings: Env }> {
  return async function requireRoleMiddleware(c, next) {
    const { user } = await signedInAdmin(c);
    if (!user) throw apiError('UNAUTHORIZED', { message: 'Sign in to the admin console' });
    if (!hasRole(user.role, required)) throw apiError('FORBIDDEN');
    c.set('adminUser', user);
    await next();
  };
}
