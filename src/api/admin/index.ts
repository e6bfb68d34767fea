/** Admin JSON API under /admin/api (placeholder until the admin API lands). */
import { Hono } from 'hono';
import type { Env } from '../../env';

export const adminApi = new Hono<{ Bindings: Env }>();
