/**
 * Admin JSON API under /admin/api, for the console: cookie sessions, role checks, and the
 * profile, API token, account and authentication log endpoints, and assisted login's user
 * repositories and rules. Every answer is `no-store`;
 * every state-changing request passes the same-origin guard first.
 */
import { Hono } from 'hono';
import type { Env } from '../../env';
import { auditLogApi } from './audit-log';
import { authLogApi } from './auth-log';
import { devicesApi } from './devices';
import { directoryApi } from './directory';
import { healthDetailsResponse } from '../health';
import { requireRole } from './require-role';
import { profilesApi } from './profiles';
import { sameOriginGuard } from '../../http/same-origin-guard';
import { sessionApi } from './session';
import { tokensApi } from './tokens';
import { usersApi } from './users';

export const adminApi = new Hono<{ Bindings: Env }>();

adminApi.use(async function noStore(c, next) {
  await next();
  // Answers carry settings and accounts: no browser or proxy may keep them.
  c.header('cache-control', 'no-store');
});
adminApi.use(sameOriginGuard());

adminApi.route('/session', sessionApi);
adminApi.route('/', profilesApi);
adminApi.route('/profiles/:name/tokens', tokensApi);
adminApi.route('/users', usersApi);
adminApi.route('/', authLogApi);
adminApi.route('/', auditLogApi);
adminApi.route('/devices', devicesApi);
adminApi.route('/', directoryApi);
adminApi.get('/health', requireRole('admin'), healthDetailsResponse);
