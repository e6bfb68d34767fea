/**
 * The Worker's HTTP app: one Hono app for the public SFWA API, receipt keys, magic-link pages and the
 * admin API, and the nightly retention job. Served by src/index.tsx (deployed) and src/local-dev.tsx
 * (local development, which adds the /dev routes).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { adminApi } from './api/admin';
import { deliveryReportsApi } from './api/delivery-reports';
import { healthRoute } from './api/health';
import { jwksRoute } from './api/jwks';
import { linkPages } from './api/links';
import { plusApi, plusPages } from './api/plus';
import { sfwaApi } from './api/sfwa';
import { sfwaSessionsApi } from './api/sfwa-sessions';
import { consolePages } from './console';
import { apiError } from './domain/api-error';
import { localeFromAcceptLanguage, pageTexts } from './domain/texts';
import type { Env } from './env';
import { MessagePage } from './views/link-page';
import { scheduled } from './scheduled';
import { errorText, logEvent } from './observability/log';

export const app = new Hono<{ Bindings: Env }>();

app.use(
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'", NONCE],
      scriptSrc: ["'self'", NONCE],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    // Magic links carry their secret in the path: never leak it in a Referer.
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: 'max-age=63072000; includeSubDomains',
    crossOriginResourcePolicy: 'same-origin',
    // A route may set its own value: the console's pages send Referrer-Policy: same-origin, because under
    // no-referrer browsers send `Origin: null` with form posts and the same-origin guard needs the real one.
    overwrite: false,
  }),
);

app.route('/health', healthRoute);
app.route('/.well-known', jwksRoute);
app.route('/api/sfwa/auth', sfwaApi);
app.route('/api/sfwa/sessions', sfwaSessionsApi);
app.route('/api/sfwa/delivery', deliveryReportsApi);
app.route('/l', linkPages);
app.route('/plus', plusPages);
app.route('/api/plus/v1', plusApi);
app.route('/admin/api', adminApi);
// After the API, so /admin/api keeps its routes; the console's pages take the rest of /admin.
app.route('/admin', consolePages);

// People (browsers asking for HTML) get a page; programs get the API's JSON code.
app.notFound((c) => {
  if (c.req.header('accept')?.includes('text/html')) {
    const locale = localeFromAcceptLanguage(c.req.header('accept-language'));
    const texts = pageTexts(locale);
    return c.html(<MessagePage icon="?" title={texts.pageNotFoundTitle} text={texts.pageNotFoundText} locale={locale} nonce={c.get('secureHeadersNonce')} />, 404);
  }
  return apiError('NOT_FOUND').getResponse();
});

app.onError((error, c) => {
  if (error instanceof HTTPException) return error.getResponse();
  logEvent('error', 'error', { path: new URL(c.req.url).pathname, error: errorText(error) });
  return apiError('INTERNAL_ERROR').getResponse();
});

/**
 * Client configurations often join a base URL ending in "/" with "/api/sfwa/auth": repeated slashes in
 * the path count as one, rather than being a 404. The request is rewritten, not redirected, since an
 * API client may not follow a redirect with its POST body.
 */
function withSingleSlashes(request: Request): Request {
  const url = new URL(request.url);
  if (!url.pathname.includes('//')) return request;
  url.pathname = url.pathname.replace(/\/{2,}/g, '/');
  return new Request(url, request);
}

export const worker = {
  fetch: (request, env, ctx) => app.fetch(withSingleSlashes(request), env, ctx),
  scheduled,
} satisfies ExportedHandler<Env>;
