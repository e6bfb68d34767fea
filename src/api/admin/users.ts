/** /admin/api/users: console accounts, for superadmins only. */
import { Hono } from 'hono';
import { apiError } from '../../domain/api-error';
import { userCreateSchema, userPatchSchema, type User } from '../../domain/user';
import type { Env } from '../../env';
import { hashPassword } from '../../security/crypto';
import { database } from '../../store/db';
import { findUserByUsername, insertUser, listUsers, updateUser, type UserChanges } from '../../store/users';
import { requireRole } from './require-role';
import { readJsonBody, rethrowConflict } from './validation';

export const usersApi = new Hono<{ Bindings: Env }>();

usersApi.use(requireRole('superadmin'));

const userView = (user: User) => ({ username: user.username, role: user.role, disabled: user.disabled, createdAt: user.createdAt.toISOString() });

usersApi.get('/', async (c) => c.json((await listUsers(database(c.env.DB))).map(userView)));

usersApi.post('/', async (c) => {
  const { username, password, role } = await readJsonBody(c, userCreateSchema);
  const user = await insertUser(database(c.env.DB), { username, passwordHash: await hashPassword(password), role }).catch(rethrowConflict('username'));
  return c.json(userView(user), 201);
});

usersApi.patch('/:username', async (c) => {
  const db = database(c.env.DB);
  const username = c.req.param('username');
  const user = await findUserByUsername(db, username);
  if (!user) throw apiError('NOT_FOUND', { message: `No user named "${username}"` });
  const patch = await readJsonBody(c, userPatchSchema);
  // A superadmin cannot lock themselves out; so at least one superadmin (the one acting) always remains.
  if (user.id === c.get('adminUser').id) {
    if (patch.disabled === true) throw apiError('BAD_REQUEST', { errors: [{ field: 'disabled', message: 'you cannot disable your own account' }] });
    if (patch.role !== undefined && patch.role !== user.role) {
      throw apiError('BAD_REQUEST', { errors: [{ field: 'role', message: 'you cannot change your own role' }] });
    }
  }
  const changes: UserChanges = {
    ...(patch.role !== undefined && { role: patch.role }),
    ...(patch.disabled !== undefined && { disabled: patch.disabled }),
    ...(patch.password !== undefined && { passwordHash: await hashPassword(patch.password) }),
  };
  const saved = Object.keys(changes).length > 0 ? await updateUser(db, user.id, changes) : user;
  return c.json(userView(saved));
});
