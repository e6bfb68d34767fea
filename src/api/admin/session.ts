/** /admin/api/session: sign in (POST), who am I (GET), sign out (DELETE). */
import { Hono } from 'hono';
import { signIn, signOut } from '../../admin/session';
import { loginSchema, type User } from '../../domain/user';
import type { Env } from '../../env';
import { requireRole } from './require-role';
import { readJsonBody } from '../request-body';

export const sessionApi = new Hono<{ Bindings: Env }>();

const sessionView = (user: User) => ({ username: user.username, role: user.role });

sessionApi.post('/', async (c) => c.json(sessionView(await signIn(c, await readJsonBody(c, loginSchema)))));

sessionApi.get('/', requireRole('user'), (c) => c.json(sessionView(c.get('adminUser'))));

sessionApi.delete('/', async (c) => {
  await signOut(c);
  return c.body(null, 204);
});
