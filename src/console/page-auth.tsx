/**
 * Console pages' sign-in and role check. Who is signed in comes from signedInAdmin(), the same
 * function the JSON API's requireRole() uses; the role rule is the same hasRole(). A page answers
 * what a browser needs: a 303 to the sign-in page, or a 403 page.
 */
import type { MiddlewareHandler } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { SESSION_COOKIE_OPTIONS } from '../admin/session';
import { signedInAdmin } from '../http/signed-in-admin';
import { ADMIN_SESSION_COOKIE } from '../domain/constants';
import { hasRole, type Role } from '../domain/user';
import type { Env } from '../env';
import { StatusPage } from '../views/console/status-page';
import { renderPage } from './page';
import { logEvent } from '../observability/log';

export const DEFAULT_PAGE = '/admin/profiles';

/**
 * Where to go after signing in: only a path of this console. Anything else (another site, "//host",
 * "/\host", the API) falls back to the profile list, so `next` cannot be used as an open redirect.
 */
export function safeNextPath(raw: string | undefined | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return DEFAULT_PAGE;
  const base = 'https://console.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return DEFAULT_PAGE;
  }
  if (url.origin !== base || !/^\/admin(\/|$)/.test(url.pathname) || /^\/admin\/(api|sign-in|sign-out|assets)(\/|$)/.test(url.pathname)) return DEFAULT_PAGE;
  return url.pathname + url.search;
}

export const signInPath = (next: string, sessionEnded = false): string =>
  `/admin/sign-in?next=${encodeURIComponent(next)}${sessionEnded ? '&session=expired' : ''}`;

/** Signed in with at least `required`; else a 303 to sign in (coming back here afterwards) or a 403 page. */
export function requirePage(required: Role): MiddlewareHandler<{ Bindings: Env }> {
  return async function requirePage(c, next) {
    const signedIn = await signedInAdmin(c);
    if (!signedIn.user) {
      if (signedIn.sessionEnded) deleteCookie(c, ADMIN_SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
      const url = new URL(c.req.url);
      c.header('cache-control', 'no-store');
      return c.redirect(signInPath(url.pathname + (c.req.method === 'GET' ? url.search : ''), signedIn.sessionEnded), 303);
    }
    if (!hasRole(signedIn.user.role, required)) {
      logEvent('warn', 'admin.console_forbidden', { method: c.req.method, path: new URL(c.req.url).pathname, role: signedIn.user.role });
      return renderPage(
        c,
        <StatusPage status={403} title="Not allowed" message="Your role does not allow this. Ask a super administrator if you need more access." user={signedIn.user} />,
        403,
      );
    }
    c.set('adminUser', signedIn.user);
    await next();
  };
}
