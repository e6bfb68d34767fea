/** /admin/api/users: console accounts, for superadmins only. */
import { Hono } from 'hono';
import { auditActor } from '../../admin/audit';
import { changeUser, createUser } from '../../admin/users';
import { clientAddress } from '../../security/client-address';
import { userCreateSchema, userPatchSchema, type User } from '../../domain/user';
import type { Env } from '../../env';
import { database } from '../../store/db';
import { listUsers } from '../../store/users';
import { requireRole } from './require-role';
import { readJsonBody } from '../request-body';

export const usersApi = new Hono<{ Bindings: Env }>();

usersApi.use(requireRole('superadmin'));

const userView = (user: User) => ({ username: user.username, role: user.role, disabled: user.disabled, createdAt: user.createdAt.toISOString() });

usersApi.get('/', async (c) => c.json((await listUsers(database(c.env.DB))).map(userView)));

usersApi.post('/', async (c) => {
  const user = await createUser(database(c.env.DB), await readJsonBody(c, userCreateSchema), auditActor(c));
  return c.json(userView(user), 201);
});

usersApi.patch('/:username', async (c) => {
  const patch = await readJsonBody(c, userPatchSchema);
  const saved = await changeUser(database(c.env.DB), c.get('adminUser'), clientAddress(c.req.raw), c.req.param('username'), patch);
  return c.json(userView(saved));
});
