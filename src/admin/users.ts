/** Console account changes, shared by the admin JSON API and the console's users screen (superadmins only). */
import { apiError } from '../domain/api-error';
import type { AuditActor, AuditChanges } from '../domain/audit';
import type { User, UserCreate, UserPatch } from '../domain/user';
import { hashPassword } from '../security/crypto';
import type { Database } from '../store/db';
import { findUserByUsername, insertUser, updateUser, type UserChanges } from '../store/users';
import { recordAudit } from './audit';
import { rethrowConflict } from './validation';

export async function createUser(db: Database, { username, password, role }: UserCreate, actor: AuditActor): Promise<User> {
  const user = await insertUser(db, { username, passwordHash: await hashPassword(password), role }).catch(rethrowConflict('username'));
  await recordAudit(db, actor, 'user.create', user.username, { role: { to: user.role } });
  return user;
}

/** Applies `patch` to the account `username`, on behalf of `actor` (a superadmin, from `address`). */
export async function changeUser(db: Database, actor: User, address: string | null, username: string, patch: UserPatch): Promise<User> {
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
  if (Object.keys(changes).length === 0) return user;
  const saved = await updateUser(db, user.id, changes);
  const audited: AuditChanges = {
    ...(saved.role !== user.role && { role: { from: user.role, to: saved.role } }),
    ...(saved.disabled !== user.disabled && { disabled: { from: user.disabled, to: saved.disabled } }),
    // Never the password: only that it was set.
    ...(patch.password !== undefined && { password: 'changed' }),
  };
  if (Object.keys(audited).length > 0) await recordAudit(db, { username: actor.username, address }, 'user.update', user.username, audited);
  return saved;
}
