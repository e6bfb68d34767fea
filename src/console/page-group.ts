/**
 * A group of console pages (a Hono sub-app mounted under /admin): every answer is `no-store`, and every
 * state-changing request passes the same same-origin guard as the JSON API (second lock after the
 * SameSite=Strict cookie). Groups are mounted at their own paths, never at "/admin/*", so none of this
 * runs for /admin/api, which has its own.
 */
import { Hono } from 'hono';
import { sameOriginGuard } from '../http/same-origin-guard';
import type { Env } from '../env';

export function pageGroup() {
  const group = new Hono<{ Bindings: Env }>();
  group.use(async function noStore(c, next) {
    await next();
    c.header('cache-control', 'no-store');
  });
  group.use(sameOriginGuard());
  return group;
}
