/**
 * CSRF guard for the admin API: refuses state-changing requests that a browser marks as coming from
 * another site. The session cookie is already SameSite=Strict; this is the second lock, for browsers
 * that ignore SameSite and for sibling subdomains, which count as "same site" to SameSite but not here.
 * Browsers send Origin on every POST/PATCH/PUT/DELETE fetch and Sec-Fetch-Site where supported;
 * scripts such as curl send neither and carry no browser cookie, so a request with neither is allowed.
 */
import type { MiddlewareHandler } from 'hono';
import { apiError } from '../domain/api-error';
import { publicOrigin, type Env } from '../env';
import { logEvent } from '../observability/log';

const STATE_CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// "none" is a navigation the user started themselves (address bar, bookmark).
const ALLOWED_FETCH_SITES = new Set(['same-origin', 'none']);

export function sameOriginGuard(): MiddlewareHandler<{ Bindings: Env }> {
  return async function sameOriginGuard(c, next) {
    if (STATE_CHANGING_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      const fetchSite = c.req.header('sec-fetch-site');
      // Behind a proxy the console is served from PUBLIC_ORIGIN, which the browser then sends as Origin.
      const ownOrigins = [new URL(c.req.url).origin, publicOrigin(c.env, c.req.url)];
      const crossOrigin = origin !== undefined && !ownOrigins.includes(origin);
      const crossSite = fetchSite !== undefined && !ALLOWED_FETCH_SITES.has(fetchSite);
      if (crossOrigin || crossSite) {
        logEvent('warn', 'admin.cross_site_refused', { method: c.req.method, origin, fetchSite });
        throw apiError('FORBIDDEN', { message: 'Cross-site requests to the admin API are refused' });
      }
    }
    await next();
  };
}
