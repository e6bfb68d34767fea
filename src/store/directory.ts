/**
 * Assisted login's stored configuration: the local user database, LDAP and Entra ID profiles (their
 * secrets sealed), and assisted login profiles. Row <-> domain mapping in one place.
 */
import { asc, count, eq, inArray, or, sql } from 'drizzle-orm';
import type { AssistedLoginProfile, AssistedLoginProfileInput } from '../domain/assisted-login';
import type { DirectoryUserInput, EntraProfile, LdapProfile } from '../domain/directory-config';
import { maskMsisdn } from '../domain/msisdn';
import type { Env } from '../env';
import { encryptMsisdn } from '../security/phone-crypto';
import { phoneKey } from '../security/phone-key';
import type { Database } from './db';
import { assistedLoginProfiles, directoryUsers, entraProfiles, ldapProfiles, profiles } from './schema';

// ---- Local user database ----

export interface StoredDirectoryUser extends Omit<DirectoryUserInput, 'phone'> {
  id: number;
  phoneMasked: string | null;
  phoneEncrypted: string | null;
}

type DirectoryUserRow = typeof directoryUsers.$inferSelect;
const toDirectoryUser = (row: DirectoryUserRow): StoredDirectoryUser => ({
  id: row.id,
  username: row.username,
  displayName: row.displayName,
  phoneMasked: row.phoneMasked,
  phoneEncrypted: row.phoneEncrypted,
  email: row.email,
  groups: row.groups,
  manager: row.manager,
});

export const usernameKey = (username: string) => username.toLowerCase();

/** The row values for a user; the phone sealed, keyed and masked (`undefined` keeps the stored one on update). */
export async function directoryUserRow(env: Pick<Env, 'PHONE_HASH_SECRET'>, user: Partial<DirectoryUserInput>) {
  const phone =
    user.phone === undefined
      ? {}
      : user.phone === null
        ? { phoneEncrypted: null, phoneKey: null, phoneMasked: null }
        : { phoneEncrypted: await encryptMsisdn(env, user.phone), phoneKey: await phoneKey(env, user.phone), phoneMasked: maskMsisdn(user.phone) };
  return {
    ...(user.username !== undefined && { username: user.username, usernameKey: usernameKey(user.username) }),
    ...(user.displayName !== undefined && { displayName: user.displayName }),
    ...(user.email !== undefined && { email: user.email }),
    ...(user.groups !== undefined && { groups: user.groups }),
    ...(user.manager !== undefined && { manager: user.manager }),
    ...phone,
  };
}

export async function listDirectoryUsers(db: Database, options: { search?: string; offset: number; limit: number }) {
  const pattern = options.search ? `%${options.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  // Both with ESCAPE: the pattern's backslashes make a searched "_" or "%" literal (SQLite's LIKE has no default escape).
  const where = pattern ? or(sql`${directoryUsers.usernameKey} like ${pattern} escape '\\'`, sql`lower(${directoryUsers.displayName}) like ${pattern} escape '\\'`) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(directoryUsers).where(where).orderBy(asc(directoryUsers.usernameKey)).limit(options.limit).offset(options.offset),
    db.select({ total: count() }).from(directoryUsers).where(where),
  ]);
  return { users: rows.map(toDirectoryUser), total: total?.total ?? 0 };
}

export async function findDirectoryUser(db: Database, username: string): Promise<StoredDirectoryUser | null> {
  const row = await db.query.directoryUsers.findFirst({ where: eq(directoryUsers.usernameKey, usernameKey(username)) });
  return row ? toDirectoryUser(row) : null;
}

export async function findDirectoryUserByPhoneKey(db: Database, key: string): Promise<StoredDirectoryUser | null> {
  const row = await db.query.directoryUsers.findFirst({ where: eq(directoryUsers.phoneKey, key) });
  return row ? toDirectoryUser(row) : null;
}

/** Up to `limit` users with this group (case-insensitive), in username order. */
export async function directoryUsersInGroup(db: Database, group: string, limit: number): Promise<StoredDirectoryUser[]> {
  const rows = await db
    .select()
    .from(directoryUsers)
    .where(sql`exists (select 1 from json_each(${directoryUsers.groups}) where lower(json_each.value) = ${group.toLowerCase()})`)
    .orderBy(asc(directoryUsers.usernameKey))
    .limit(limit);
  return rows.map(toDirectoryUser);
}

export async function insertDirectoryUser(db: Database, row: Awaited<ReturnType<typeof directoryUserRow>> & { username: string; usernameKey: string }) {
  const [inserted] = await db.insert(directoryUsers).values(row).returning();
  return toDirectoryUser(inserted!);
}

export async function updateDirectoryUser(db: Database, id: number, row: Awaited<ReturnType<typeof directoryUserRow>>) {
  const [updated] = await db.update(directoryUsers).set(row).where(eq(directoryUsers.id, id)).returning();
  return updated ? toDirectoryUser(updated) : null;
}

export async function deleteDirectoryUser(db: Database, id: number): Promise<void> {
  await db.delete(directoryUsers).where(eq(directoryUsers.id, id));
}

// ---- LDAP and Entra ID profiles ----

export interface StoredLdapProfile extends LdapProfile {
  id: number;
  bindPasswordSealed: string;
}
export interface StoredEntraProfile extends EntraProfile {
  id: number;
  clientSecretSealed: string;
}

const toLdapProfile = ({ createdAt: _createdAt, ...row }: typeof ldapProfiles.$inferSelect): StoredLdapProfile => row;
const toEntraProfile = ({ createdAt: _createdAt, ...row }: typeof entraProfiles.$inferSelect): StoredEntraProfile => row;

export const listLdapProfiles = async (db: Database) => (await db.select().from(ldapProfiles).orderBy(asc(ldapProfiles.name))).map(toLdapProfile);
export const listEntraProfiles = async (db: Database) => (await db.select().from(entraProfiles).orderBy(asc(entraProfiles.name))).map(toEntraProfile);

export async function findLdapProfile(db: Database, name: string) {
  const row = await db.query.ldapProfiles.findFirst({ where: eq(ldapProfiles.name, name) });
  return row ? toLdapProfile(row) : null;
}
export async function findEntraProfile(db: Database, name: string) {
  const row = await db.query.entraProfiles.findFirst({ where: eq(entraProfiles.name, name) });
  return row ? toEntraProfile(row) : null;
}

export async function insertLdapProfile(db: Database, profile: Omit<StoredLdapProfile, 'id'>) {
  const [row] = await db.insert(ldapProfiles).values(profile).returning();
  return toLdapProfile(row!);
}
export async function updateLdapProfile(db: Database, id: number, profile: Partial<Omit<StoredLdapProfile, 'id'>>) {
  const [row] = await db.update(ldapProfiles).set(profile).where(eq(ldapProfiles.id, id)).returning();
  return row ? toLdapProfile(row) : null;
}
export async function insertEntraProfile(db: Database, profile: Omit<StoredEntraProfile, 'id'>) {
  const [row] = await db.insert(entraProfiles).values(profile).returning();
  return toEntraProfile(row!);
}
export async function updateEntraProfile(db: Database, id: number, profile: Partial<Omit<StoredEntraProfile, 'id'>>) {
  const [row] = await db.update(entraProfiles).set(profile).where(eq(entraProfiles.id, id)).returning();
  return row ? toEntraProfile(row) : null;
}
export const deleteLdapProfile = (db: Database, id: number) => db.delete(ldapProfiles).where(eq(ldapProfiles.id, id));
export const deleteEntraProfile = (db: Database, id: number) => db.delete(entraProfiles).where(eq(entraProfiles.id, id));

// ---- Assisted login profiles ----

const toAssistedLoginProfile = (row: typeof assistedLoginProfiles.$inferSelect): AssistedLoginProfile => ({ id: row.id, name: row.name, kind: row.kind, ...row.settings });
const assistedRow = ({ name, kind, ...settings }: AssistedLoginProfileInput) => ({ name, kind, settings });

export const listAssistedLoginProfiles = async (db: Database) =>
  (await db.select().from(assistedLoginProfiles).orderBy(asc(assistedLoginProfiles.name))).map(toAssistedLoginProfile);

export async function findAssistedLoginProfile(db: Database, name: string) {
  const row = await db.query.assistedLoginProfiles.findFirst({ where: eq(assistedLoginProfiles.name, name) });
  return row ? toAssistedLoginProfile(row) : null;
}
export async function insertAssistedLoginProfile(db: Database, profile: AssistedLoginProfileInput) {
  const [row] = await db.insert(assistedLoginProfiles).values(assistedRow(profile)).returning();
  return toAssistedLoginProfile(row!);
}
export async function updateAssistedLoginProfile(db: Database, id: number, profile: AssistedLoginProfileInput) {
  const [row] = await db.update(assistedLoginProfiles).set(assistedRow(profile)).where(eq(assistedLoginProfiles.id, id)).returning();
  return row ? toAssistedLoginProfile(row) : null;
}
export const deleteAssistedLoginProfile = (db: Database, id: number) => db.delete(assistedLoginProfiles).where(eq(assistedLoginProfiles.id, id));

/** Names of the endpoint profiles that use this assisted login profile or repository (a delete is refused while any does). */
export async function endpointsUsing(db: Database, what: { assistedLoginProfile?: string; ldapProfile?: string; entraProfile?: string }): Promise<string[]> {
  const condition = what.assistedLoginProfile
    ? eq(profiles.assistedLoginProfile, what.assistedLoginProfile)
    : what.ldapProfile
      ? sql`exists (select 1 from json_each(${profiles.ldapProfiles}) where json_each.value = ${what.ldapProfile})`
      : sql`exists (select 1 from json_each(${profiles.entraProfiles}) where json_each.value = ${what.entraProfile ?? ''})`;
  const rows = await db.select({ name: profiles.name }).from(profiles).where(condition).orderBy(asc(profiles.name));
  return rows.map((row) => row.name);
}

/** Renames a repository or assisted login profile in every endpoint that names it, so a rename never breaks an endpoint. */
export async function renameInEndpoints(db: Database, kind: 'assistedLoginProfile' | 'ldapProfile' | 'entraProfile', from: string, to: string): Promise<void> {
  if (kind === 'assistedLoginProfile') {
    await db.update(profiles).set({ assistedLoginProfile: to }).where(eq(profiles.assistedLoginProfile, from));
    return;
  }
  const column = kind === 'ldapProfile' ? profiles.ldapProfiles : profiles.entraProfiles;
  const columnName = kind === 'ldapProfile' ? 'ldap_profiles' : 'entra_profiles';
  await db.run(
    sql`update ${profiles} set ${sql.raw(columnName)} = (select json_group_array(case when value = ${from} then ${to} else value end) from json_each(${column})) where exists (select 1 from json_each(${column}) where value = ${from})`,
  );
}
