/**
 * The admin console at /admin: server-rendered pages (Hono JSX) whose forms work without JavaScript,
 * enhanced by one small script. Mounted after /admin/api, whose routes therefore answer first.
 *
 *   /admin                      -> /admin/profiles
 *   /admin/assets/*             static assets (public/admin/assets), served without the Worker
 *   /admin/sign-in, /sign-out   src/console/sign-in.tsx
 *   /admin/profiles/**          src/console/profiles.tsx, tokens.tsx
 *   /admin/users/**             src/console/users.tsx
 *   /admin/log                  src/console/log.tsx
 *   /admin/devices/**           src/console/devices.tsx
 *   /admin/audit                src/console/audit.tsx
 *   /admin/assisted/**          src/console/assisted.tsx: assisted login profiles, local users, LDAP and Entra ID profiles
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../domain/api-error';
import type { User } from '../domain/user';
import type { Env } from '../env';
import { StatusPage } from '../views/console/status-page';
import { renderPage, type ConsoleContext } from './page';
import { DEFAULT_PAGE, signInPath } from './page-auth';
import { assistedPages } from './assisted';
import { auditPages } from './audit';
import { devicePages } from './devices';
import { logPages } from './log';
import { profilePages } from './profiles';
import { signInPages, signOutPages } from './sign-in';
import { userPages } from './users';
import { errorText, logEvent } from '../observability/log';

export const consolePages = new Hono<{ Bindings: Env }>();

consolePages.get('/', (c) => {
  c.header('cache-control', 'no-store');
  return c.redirect(DEFAULT_PAGE, 303);
});

consolePages.route('/sign-in', signInPages);
consolePages.route('/sign-out', signOutPages);
consolePages.route('/profiles', profilePages);
consolePages.route('/users', userPages);
consolePages.route('/log', logPages);
consolePages.route('/devices', devicePages);
consolePages.route('/audit', auditPages);
consolePages.route('/assisted', assistedPages);

const page = (c: ConsoleContext, status: 400 | 403 | 404 | 500, title: string, message: string) =>
  renderPage(c, <StatusPage status={status} title={title} message={message} user={c.get('adminUser') as User | undefined} />, status);

// Any other address under /admin is a console page that does not exist; the API keeps its JSON 404.
consolePages.all('*', (c) => {
  if (c.req.path.startsWith('/admin/api/')) return c.notFound();
  c.header('cache-control', 'no-store');
  if (c.req.path === '/admin/') return c.redirect(DEFAULT_PAGE, 303);
  return page(c, 404, 'Page not found', 'There is no page at this address.');
});

// Errors thrown by the services and guards become pages; the JSON API keeps its own mapping.
consolePages.onError((error, c) => {
  if (error instanceof ApiError) {
    switch (error.body.code) {
      case 'NOT_FOUND':
        return page(c, 404, 'Not found', `${error.body.message}.`);
      case 'FORBIDDEN':
        return page(c, 403, 'Not allowed', `${error.body.message}.`);
      case 'UNAUTHORIZED':
        return c.redirect(signInPath(DEFAULT_PAGE), 303);
      case 'BAD_REQUEST':
      case 'CONFLICT':
        return page(c, 400, 'That could not be done', `${error.body.message.charAt(0).toUpperCase()}${error.body.message.slice(1)}.`);
    }
  }
  if (error instanceof HTTPException) return error.getResponse();
  logEvent('error', 'error', { path: c.req.path, error: errorText(error) });
  return page(c, 500, 'Something went wrong', 'The console could not complete this request. Try again; nothing was half-saved.');
});
