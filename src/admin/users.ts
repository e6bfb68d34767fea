/** Console account changes, shared by the admin JSON API and the console's users screen (superadmins only). */
import { apiError } from '../domain/api-error';
import type { User, UserCreate, UserPatch } from '../domain/user';
import { hashPassword } from '../security/crypto';
import type { Database } from '../store/db';
import { findUserByUsername, insertUser, updateUser, type UserChanges } from '../store/users';
import { rethrowConflict } from './validation';

export async function createUser(db: Database, { username, password, role }: UserCreate): Promise<User> {
  return insertUser(db, { username, passwordHash: await hashPassword(password), role }).catch(rethrowConflict('username'));
}

/** Applies `patch` to the account `username`, on behalf of `actor`. */
export async function changeUser(db: Database, actor: User, username: string, patch: UserPatch): Promise<User> {
  const user = await findUserByUsername(db, username);
  if (!user) throw apiError('NOT_FOUND', { message: `No user named "${username}"` });
  // A superadmin cannot lock themselves out; so at least one superadmin (the one acting) always remains.
  if (user.id === actor.id) {
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
  return Object.keys(changes).length > 0 ? updateUser(db, user.id, changes) : user;
}
