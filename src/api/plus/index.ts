/**
 * The companion app's public surface:
 *   plusPages (mounted at /plus)       — pages for people: /activate/{code}, /deactivate/{code} (the activation notice's link)
 *   plusApi   (mounted at /api/plus/v1) — the app's JSON API: /activate, /deactivate (and the session side's routes)
 * Add a file's routes with one `plusApi.route('/', …)` line below.
 */
import { Hono } from 'hono';
import type { Env } from '../../env';
import { activationPages } from './activation';
import { deactivationPages } from './deactivation';
import { deviceAppApi } from './devices';
import { sessionAppApi } from './sessions';

export const plusPages = new Hono<{ Bindings: Env }>();
plusPages.route('/activate', activationPages);
plusPages.route('/deactivate', deactivationPages);

export const plusApi = new Hono<{ Bindings: Env }>();
plusApi.use(async function noStore(c, next) {
  await next();
  // Answers carry device ids and decisions: nothing may keep them.
  c.header('cache-control', 'no-store');
});
plusApi.route('/', deviceAppApi);
plusApi.route('/', sessionAppApi);
