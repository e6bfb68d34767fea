/** Admin account queries. Passwords are stored only as PBKDF2 hashes (see security/crypto.ts). */
import { asc, eq } from 'drizzle-orm';
import type { Role, User } from '../domain/user';
import type { Database } from './db';
import { adminSessions, users } from './schema';

type UserRow = typeof users.$inferSelect;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  passwordHash: row.passwordHash,
  role: row.role,
  disabled: row.disabled,
  createdAt: row.createdAt,
});

export async function findUserByUsername(db: Database, username: string): Promise<User | null> {
  const row = await db.select().from(users).where(eq(users.username, username)).get();
  return row ? toUser(row) : null;
}

export async function listUsers(db: Database): Promise<User[]> {
  const rows = await db.select().from(users).orderBy(asc(users.username));
  return rows.map(toUser);
}

export async function insertUser(db: Database, user: { username: string; passwordHash: string; role: Role }): Promise<User> {
  return toUser(await db.insert(users).values(user).returning().get());
}

export type UserChanges = Partial<Pick<User, 'role' | 'passwordHash' | 'disabled'>>;

/**
 * Applies at least one change. Disabling an account or replacing its password also signs it out
 * everywhere (its admin sessions are deleted in the same batch), so an old cookie cannot outlive the change.
 */
export async function updateUser(db: Database, id: number, changes: UserChanges): Promise<User> {
  const endsSessions = changes.disabled === true || changes.passwordHash !== undefined;
  const [rows] = await db.batch([
    db.update(users).set(changes).where(eq(users.id, id)).returning(),
    ...(endsSessions ? [db.delete(adminSessions).where(eq(adminSessions.userId, id))] : []),
  ]);
  const row = rows[0];
  if (!row) throw new Error(`user ${id} vanished during update`);
  return toUser(row);
}
