/**
 * Assisted login's configuration, shared by the admin JSON API and the console: the local user
 * database, LDAP and Entra ID profiles, and assisted login profiles. Each rule lives here once (unique
 * names, a manager who exists, no delete while an endpoint profile uses it, a rename followed by the
 * endpoints). Credentials are sealed before they are stored and never reach a view or the audit log.
 * Callers pass input already parsed by the schemas in domain/directory-config.ts and
 * domain/assisted-login.ts; failures are thrown as ApiError with field errors.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import * as z from '../domain/zod';
import { apiError } from '../domain/api-error';
import { assistedLoginProfileSchema, type AssistedLoginProfile, type AssistedLoginProfileInput, type AssistedLoginProfilePatch } from '../domain/assisted-login';
import { changesBetween, type AuditActor, type AuditChanges } from '../domain/audit';
import { fieldErrors, type FieldError } from '../domain/auth-request';
import { CsvSyntaxError, parseCsv } from '../domain/csv';
import {
  directoryUserPatchSchema,
  directoryUserSchema,
  entraProfilePatchSchema,
  entraProfileSchema,
  ldapProfilePatchSchema,
  ldapProfileSchema,
  type DirectoryUserInput,
  type EntraProfileInput,
  type LdapProfileInput,
} from '../domain/directory-config';
import { maskMsisdn, parseMsisdn } from '../domain/msisdn';
import { pageFields, withoutBlanks } from '../domain/page';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import { clearDirectoryCache, openEntraDirectory, openLdapDirectory } from '../directory/repositories';
import type { Env } from '../env';
import { DirectorySecretKeyMissingError, sealDirectorySecret } from '../security/directory-secrets';
import type { Database } from '../store/db';
import {
  deleteAssistedLoginProfile,
  deleteDirectoryUser,
  deleteEntraProfile,
  deleteLdapProfile,
  directoryUserRow,
  endpointsUsing,
  findAssistedLoginProfile,
  findDirectoryUser,
  findEntraProfile,
  findLdapProfile,
  insertAssistedLoginProfile,
  insertDirectoryUser,
  insertEntraProfile,
  insertLdapProfile,
  listDirectoryUsers,
  renameInEndpoints,
  updateAssistedLoginProfile,
  updateDirectoryUser,
  updateEntraProfile,
  updateLdapProfile,
  usernameKey,
  type StoredDirectoryUser,
  type StoredEntraProfile,
  type StoredLdapProfile,
} from '../store/directory';
import { forgetCachedProfiles } from '../store/profiles';
import { directoryUsers } from '../store/schema';
import { createdWith, recordAudit } from './audit';
import { parseInput, rethrowConflict } from './validation';

export type DirectoryEnv = Pick<Env, 'PHONE_HASH_SECRET' | 'DIRECTORY_SECRET_KEY'>;
type DirectoryUserPatch = z.infer<typeof directoryUserPatchSchema>;
type LdapProfilePatch = z.infer<typeof ldapProfilePatchSchema>;
type EntraProfilePatch = z.infer<typeof entraProfilePatchSchema>;

const DIRECTORY_USER_PAGE_SIZE_DEFAULT = 50;
const DIRECTORY_USER_PAGE_SIZE_MAX = 200;
/** A CSV import is one D1 batch, a statement per row; D1 allows 1000 statements per request. */
export const DIRECTORY_IMPORT_MAX_ROWS = 500;
/** D1 binds at most 100 parameters per statement: lookups by many usernames go in chunks. */
const LOOKUP_CHUNK = 90;

/** `?search=&page=&size=` of the local user list, as the token list pages (page from 0). */
export const directoryUserListSchema = z.pipe(
  z.transform(withoutBlanks),
  z.object({
    search: z.optional(z.string().check(z.trim(), z.maxLength(255, 'must be at most 255 characters'))),
    ...pageFields(DIRECTORY_USER_PAGE_SIZE_DEFAULT, DIRECTORY_USER_PAGE_SIZE_MAX),
  }),
);
export type DirectoryUserListQuery = z.infer<typeof directoryUserListSchema>;

/** POST /directory-users/import: the CSV as text in a JSON body (so the body limit and the same-origin rules hold as for any JSON). */
export const directoryImportSchema = z.strictObject({ csv: z.string({ error: 'is required' }).check(z.minLength(1, 'is required')) });

const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as Partial<T>;

const fieldError = (field: string, message: string) => apiError('BAD_REQUEST', { errors: [{ field, message }] });

const quotedList = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/** Seals a credential; a deployment without DIRECTORY_SECRET_KEY is told so, rather than given a bare internal error. */
async function sealed(env: DirectoryEnv, secret: string): Promise<string> {
  try {
    return await sealDirectorySecret(env, secret);
  } catch (error) {
    if (error instanceof DirectorySecretKeyMissingError) throw apiError('INTERNAL_ERROR', { message: error.message });
    throw error;
  }
}

/** A repository or rule an endpoint profile names cannot go: the endpoint would stop working. 409 naming them. */
function refuseWhileUsed(what: string, endpoints: string[]): void {
  if (!endpoints.length) return;
  const plural = endpoints.length > 1;
  throw apiError('CONFLICT', {
    message: `${what} is used by the endpoint profile${plural ? 's' : ''} ${quotedList(endpoints)}: remove it from ${plural ? 'their' : 'its'} assisted login settings first`,
  });
}

/** After a change, this isolate reads endpoint profiles and directory answers afresh (other isolates within their cache times). */
function forgetCaches(): void {
  forgetCachedProfiles();
  clearDirectoryCache();
}

// ---- Local user database ----

export async function findDirectoryUserOr404(db: Database, username: string): Promise<StoredDirectoryUser> {
  const user = await findDirectoryUser(db, username);
  if (!user) throw apiError('NOT_FOUND', { message: `No user "${username}" in the local user database` });
  return user;
}

export async function listDirectoryUserPage(db: Database, { search, page, size }: DirectoryUserListQuery) {
  const { users, total } = await listDirectoryUsers(db, { search, offset: page * size, limit: size });
  return { items: users, page, size, total };
}

/** A user as the audit log records them: the phone masked, as everywhere it is shown. */
const auditedUser = (user: StoredDirectoryUser) => ({
  username: user.username,
  displayName: user.displayName,
  phone: user.phoneMasked,
  email: user.email,
  groups: user.groups,
  manager: user.manager,
});
const EMPTY_USER = { displayName: '', phone: null, email: '', groups: [], manager: null };

/** The stored usernames of these usernames, by usernameKey. */
async function storedUsernames(db: Database, usernames: Iterable<string>): Promise<Map<string, string>> {
  const keys = [...new Set([...usernames].map(usernameKey))];
  const found = new Map<string, string>();
  for (let at = 0; at < keys.length; at += LOOKUP_CHUNK) {
    const rows = await db
      .select({ key: directoryUsers.usernameKey, username: directoryUsers.username })
      .from(directoryUsers)
      .where(inArray(directoryUsers.usernameKey, keys.slice(at, at + LOOKUP_CHUNK)));
    for (const row of rows) found.set(row.key, row.username);
  }
  return found;
}

const NOT_SELF = 'must be someone other than the user';
const NO_SUCH_MANAGER = 'names no user in the local user database';

/**
 * The manager as stored: the named user's own spelling (so a rename can follow it), never the user
 * themself (under the new or the former username).
 */
async function checkedManager(db: Database, user: { username: string; manager: string | null }, formerUsername?: string): Promise<string | null> {
  if (user.manager === null) return null;
  const key = usernameKey(user.manager);
  if (key === usernameKey(user.username) || (formerUsername !== undefined && key === usernameKey(formerUsername))) throw fieldError('manager', NOT_SELF);
  const manager = await findDirectoryUser(db, user.manager);
  if (!manager) throw fieldError('manager', NO_SUCH_MANAGER);
  return manager.username;
}

export async function createDirectoryUser(db: Database, env: DirectoryEnv, input: DirectoryUserInput, actor: AuditActor): Promise<StoredDirectoryUser> {
  const manager = await checkedManager(db, input);
  const row = await directoryUserRow(env, { ...input, manager });
  const user = await insertDirectoryUser(db, { ...row, username: input.username, usernameKey: usernameKey(input.username) }).catch(rethrowConflict('username'));
  const { username: _username, ...fields } = auditedUser(user);
  await recordAudit(db, actor, 'directory-user.create', user.username, createdWith(changesBetween(EMPTY_USER, fields)));
  return user;
}

/** Applies a patch; the manager rule is checked on the merged user (a rename can make the stored manager the user themself). */
export async function editDirectoryUser(db: Database, env: DirectoryEnv, username: string, patch: DirectoryUserPatch, actor: AuditActor): Promise<StoredDirectoryUser> {
  const stored = await findDirectoryUserOr404(db, username);
  const merged = { username: patch.username ?? stored.username, manager: patch.manager === undefined ? stored.manager : patch.manager };
  const manager = await checkedManager(db, merged, stored.username);
  const saved = await updateDirectoryUser(db, stored.id, await directoryUserRow(env, { ...patch, manager })).catch(rethrowConflict('username'));
  if (!saved) throw apiError('NOT_FOUND', { message: `No user "${username}" in the local user database` });
  // Managers are stored in the manager's own spelling: the people this user manages follow a rename.
  if (saved.username !== stored.username) await db.update(directoryUsers).set({ manager: saved.username }).where(eq(directoryUsers.manager, stored.username));
  clearDirectoryCache();
  const changes = changesBetween(auditedUser(stored), auditedUser(saved));
  if (Object.keys(changes).length) await recordAudit(db, actor, 'directory-user.update', stored.username, changes);
  return saved;
}

/** Deletes a user, unless they manage someone: a manager who vanished would quietly stop approving. */
export async function removeDirectoryUser(db: Database, username: string, actor: AuditActor): Promise<void> {
  const stored = await findDirectoryUserOr404(db, username);
  const managed = await db
    .select({ username: directoryUsers.username })
    .from(directoryUsers)
    .where(eq(directoryUsers.manager, stored.username))
    .orderBy(asc(directoryUsers.usernameKey))
    .limit(10);
  if (managed.length) {
    throw apiError('CONFLICT', { message: `"${stored.username}" is the manager of ${quotedList(managed.map((user) => user.username))}: give them another manager first` });
  }
  await deleteDirectoryUser(db, stored.id);
  clearDirectoryCache();
  await recordAudit(db, actor, 'directory-user.delete', stored.username);
}

// ---- CSV import ----

const IMPORT_COLUMNS = ['username', 'displayName', 'phone', 'email', 'groups', 'manager'] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** The header's columns; `username` is required, the others may be left out (an update then keeps them, a new user gets the defaults). */
function importColumns(header: string[]): ImportColumn[] {
  const columns = header.map((cell) => IMPORT_COLUMNS.find((column) => column.toLowerCase() === cell.trim().toLowerCase()));
  const unknown = header.filter((_, index) => columns[index] === undefined);
  if (unknown.length) throw fieldError('row 1', `has unknown column(s) ${quotedList(unknown)}: the header is ${IMPORT_COLUMNS.join(',')}`);
  const known = columns as ImportColumn[];
  const twice = known.filter((column, index) => known.indexOf(column) !== index);
  if (twice.length) throw fieldError('row 1', `names column(s) ${quotedList(twice)} twice`);
  if (!known.includes('username')) throw fieldError('row 1', `must name the columns, at least username: ${IMPORT_COLUMNS.join(',')}`);
  return known;
}

/** A cell as the schema takes it: an empty phone or manager is none, groups are separated by ";". */
function cellValue(column: ImportColumn, cell: string): unknown {
  if (column === 'groups') return cell.split(';').map((group) => group.trim()).filter(Boolean);
  if (column === 'phone' || column === 'manager') return cell.trim() === '' ? null : cell;
  return cell;
}

/** "alice, bob and 3 more": enough for the audit log to say who, bounded for a large import. */
const someNames = (names: string[], max = 20) => (names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', '));

/**
 * Imports users from CSV (header `username,displayName,phone,email,groups,manager`, groups separated by
 * ";"): new usernames are created, existing ones (case-insensitively) updated in the columns given.
 * Every row is checked first; one bad row and nothing changes, with 400 naming `row N.field` (row 1
 * is the header, as a spreadsheet numbers them). The changes go to D1 as one batch, all or none.
 */
export async function importDirectoryUsers(db: Database, env: DirectoryEnv, csvText: string, actor: AuditActor): Promise<{ created: number; updated: number }> {
  let records: string[][];
  try {
    records = parseCsv(csvText);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw fieldError(`row ${error.row}`, error.message);
    throw error;
  }
  const [header = [], ...rows] = records;
  const columns = importColumns(header);
  const errors: FieldError[] = [];
  const users: Array<{ row: number; user: DirectoryUserInput }> = [];
  rows.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((cell) => cell.trim() === '')) return;
    if (cells.length > columns.length) errors.push({ field: `row ${row}`, message: `has ${cells.length} fields, but the header names ${columns.length} columns` });
    const parsed = directoryUserSchema.safeParse(Object.fromEntries(columns.map((column, at) => [column, cellValue(column, cells[at] ?? '')])));
    if (parsed.success) users.push({ row, user: parsed.data });
    else errors.push(...fieldErrors(parsed.error).map(({ field, message }) => ({ field: `row ${row}.${field}`, message })));
  });
  if (users.length + errors.length > DIRECTORY_IMPORT_MAX_ROWS) throw fieldError('csv', `has more than ${DIRECTORY_IMPORT_MAX_ROWS} users: import them in parts`);
  if (!errors.length && !users.length) throw fieldError('csv', 'has no users below the header');

  // Across rows: a username once, and a manager who is in the file or already in the database.
  const rowOf = new Map<string, number>();
  for (const { row, user } of users) {
    const earlier = rowOf.get(usernameKey(user.username));
    if (earlier !== undefined) errors.push({ field: `row ${row}.username`, message: `is already on row ${earlier}` });
    else rowOf.set(usernameKey(user.username), row);
  }
  const stored = await storedUsernames(db, users.flatMap(({ user }) => [user.username, ...(user.manager === null ? [] : [user.manager])]));
  const spelling = new Map([...stored, ...users.map(({ user }) => [usernameKey(user.username), user.username] as const)]);
  for (const { row, user } of users) {
    if (user.manager === null) continue;
    if (usernameKey(user.manager) === usernameKey(user.username)) errors.push({ field: `row ${row}.manager`, message: NOT_SELF });
    else if (!spelling.has(usernameKey(user.manager))) errors.push({ field: `row ${row}.manager`, message: `${NO_SUCH_MANAGER} or in this file` });
  }
  // In row order, as the admin reads the file.
  const rowNumber = (error: FieldError) => Number(/^row (\d+)/.exec(error.field)?.[1]);
  if (errors.length) throw apiError('BAD_REQUEST', { errors: errors.sort((a, b) => rowNumber(a) - rowNumber(b)) });

  const statements: BatchItem<'sqlite'>[] = [];
  const created: string[] = [];
  const updated: string[] = [];
  for (const { user } of users) {
    const key = usernameKey(user.username);
    const manager = user.manager === null ? null : spelling.get(usernameKey(user.manager))!;
    const given = Object.fromEntries(columns.map((column) => [column, column === 'manager' ? manager : user[column]])) as Partial<DirectoryUserInput>;
    const former = stored.get(key);
    if (former === undefined) {
      statements.push(db.insert(directoryUsers).values({ ...(await directoryUserRow(env, { ...user, manager })), username: user.username, usernameKey: key }));
      created.push(user.username);
    } else {
      statements.push(db.update(directoryUsers).set(await directoryUserRow(env, given)).where(eq(directoryUsers.usernameKey, key)));
      // A new spelling of a username: the people they manage follow it.
      if (former !== user.username) statements.push(db.update(directoryUsers).set({ manager: user.username }).where(eq(directoryUsers.manager, former)));
      updated.push(user.username);
    }
  }
  await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]).catch(rethrowConflict('csv'));
  clearDirectoryCache();
  const changes: AuditChanges = { created: `${created.length}${created.length ? `: ${someNames(created)}` : ''}`, updated: `${updated.length}${updated.length ? `: ${someNames(updated)}` : ''}` };
  await recordAudit(db, actor, 'directory-user.import', '(CSV import)', changes);
  return { created: created.length, updated: updated.length };
}

// ---- LDAP profiles ----

const ldapSettingsSchema = z.omit(ldapProfileSchema, { bindPassword: true });
const auditedLdap = ({ id: _id, bindPasswordSealed: _sealed, ...profile }: StoredLdapProfile) => profile;

export async function findLdapProfileOr404(db: Database, name: string): Promise<StoredLdapProfile> {
  const profile = await findLdapProfile(db, name);
  if (!profile) throw apiError('NOT_FOUND', { message: `No LDAP profile named "${name}"` });
  return profile;
}

export async function createLdapProfile(db: Database, env: DirectoryEnv, { bindPassword, ...input }: LdapProfileInput, actor: AuditActor): Promise<StoredLdapProfile> {
  const profile = await insertLdapProfile(db, { ...input, bindPasswordSealed: await sealed(env, bindPassword) }).catch(rethrowConflict('name'));
  const { name: _name, ...settings } = auditedLdap(profile);
  // The credential is never in the log: only that one was set.
  await recordAudit(db, actor, 'ldap-profile.create', profile.name, { ...createdWith(changesBetween({}, settings)), bindPassword: 'set' });
  return profile;
}

/** Applies a patch; a bind password left out keeps the stored one. A rename is followed by the endpoint profiles. */
export async function editLdapProfile(db: Database, env: DirectoryEnv, name: string, { bindPassword, ...patch }: LdapProfilePatch, actor: AuditActor): Promise<StoredLdapProfile> {
  const stored = await findLdapProfileOr404(db, name);
  const merged = parseInput(ldapSettingsSchema, { ...auditedLdap(stored), ...stripUndefined(patch) });
  const secret = bindPassword === undefined ? {} : { bindPasswordSealed: await sealed(env, bindPassword) };
  const saved = await updateLdapProfile(db, stored.id, { ...merged, ...secret }).catch(rethrowConflict('name'));
  if (!saved) throw apiError('NOT_FOUND', { message: `No LDAP profile named "${name}"` });
  if (saved.name !== stored.name) await renameInEndpoints(db, 'ldapProfile', stored.name, saved.name);
  forgetCaches();
  const changes: AuditChanges = { ...changesBetween(auditedLdap(stored), auditedLdap(saved)), ...(bindPassword !== undefined && { bindPassword: 'changed' }) };
  if (Object.keys(changes).length) await recordAudit(db, actor, 'ldap-profile.update', stored.name, changes);
  return saved;
}

export async function removeLdapProfile(db: Database, name: string, actor: AuditActor): Promise<void> {
  const profile = await findLdapProfileOr404(db, name);
  refuseWhileUsed(`LDAP profile "${profile.name}"`, await endpointsUsing(db, { ldapProfile: profile.name }));
  await deleteLdapProfile(db, profile.id);
  forgetCaches();
  await recordAudit(db, actor, 'ldap-profile.delete', profile.name);
}

// ---- Entra ID profiles ----

const entraSettingsSchema = z.omit(entraProfileSchema, { clientSecret: true });
const auditedEntra = ({ id: _id, clientSecretSealed: _sealed, ...profile }: StoredEntraProfile) => profile;

export async function findEntraProfileOr404(db: Database, name: string): Promise<StoredEntraProfile> {
  const profile = await findEntraProfile(db, name);
  if (!profile) throw apiError('NOT_FOUND', { message: `No Entra ID profile named "${name}"` });
  return profile;
}

export async function createEntraProfile(db: Database, env: DirectoryEnv, { clientSecret, ...input }: EntraProfileInput, actor: AuditActor): Promise<StoredEntraProfile> {
  const profile = await insertEntraProfile(db, { ...input, clientSecretSealed: await sealed(env, clientSecret) }).catch(rethrowConflict('name'));
  const { name: _name, ...settings } = auditedEntra(profile);
  await recordAudit(db, actor, 'entra-profile.create', profile.name, { ...createdWith(changesBetween({}, settings)), clientSecret: 'set' });
  return profile;
}

/** Applies a patch; a client secret left out keeps the stored one. A rename is followed by the endpoint profiles. */
export async function editEntraProfile(db: Database, env: DirectoryEnv, name: string, { clientSecret, ...patch }: EntraProfilePatch, actor: AuditActor): Promise<StoredEntraProfile> {
  const stored = await findEntraProfileOr404(db, name);
  const merged = parseInput(entraSettingsSchema, { ...auditedEntra(stored), ...stripUndefined(patch) });
  const secret = clientSecret === undefined ? {} : { clientSecretSealed: await sealed(env, clientSecret) };
  const saved = await updateEntraProfile(db, stored.id, { ...merged, ...secret }).catch(rethrowConflict('name'));
  if (!saved) throw apiError('NOT_FOUND', { message: `No Entra ID profile named "${name}"` });
  if (saved.name !== stored.name) await renameInEndpoints(db, 'entraProfile', stored.name, saved.name);
  forgetCaches();
  const changes: AuditChanges = { ...changesBetween(auditedEntra(stored), auditedEntra(saved)), ...(clientSecret !== undefined && { clientSecret: 'changed' }) };
  if (Object.keys(changes).length) await recordAudit(db, actor, 'entra-profile.update', stored.name, changes);
  return saved;
}

export async function removeEntraProfile(db: Database, name: string, actor: AuditActor): Promise<void> {
  const profile = await findEntraProfileOr404(db, name);
  refuseWhileUsed(`Entra ID profile "${profile.name}"`, await endpointsUsing(db, { entraProfile: profile.name }));
  await deleteEntraProfile(db, profile.id);
  forgetCaches();
  await recordAudit(db, actor, 'entra-profile.delete', profile.name);
}

// ---- Assisted login profiles ----

const auditedAssisted = ({ id: _id, ...profile }: AssistedLoginProfile): AssistedLoginProfileInput => profile;

export async function findAssistedLoginProfileOr404(db: Database, name: string): Promise<AssistedLoginProfile> {
  const profile = await findAssistedLoginProfile(db, name);
  if (!profile) throw apiError('NOT_FOUND', { message: `No assisted login profile named "${name}"` });
  return profile;
}

export async function createAssistedLoginProfile(db: Database, input: AssistedLoginProfileInput, actor: AuditActor): Promise<AssistedLoginProfile> {
  const profile = await insertAssistedLoginProfile(db, input).catch(rethrowConflict('name'));
  const { name: _name, ...settings } = auditedAssisted(profile);
  await recordAudit(db, actor, 'assisted-login-profile.create', profile.name, createdWith(changesBetween({}, settings)));
  return profile;
}

/** Applies a patch; the rules between fields are checked on the merged profile, and nothing is saved unless it holds. */
export async function editAssistedLoginProfile(db: Database, name: string, patch: AssistedLoginProfilePatch, actor: AuditActor): Promise<AssistedLoginProfile> {
  const stored = await findAssistedLoginProfileOr404(db, name);
  const merged = parseInput(assistedLoginProfileSchema, { ...auditedAssisted(stored), ...stripUndefined(patch) });
  if (merged.kind !== stored.kind) {
    // The endpoints' repositories were chosen for the kind (LDAP and local, or Entra ID): they would stop fitting.
    const endpoints = await endpointsUsing(db, { assistedLoginProfile: stored.name });
    if (endpoints.length) throw fieldError('kind', `cannot change while the endpoint profiles ${quotedList(endpoints)} use it: their user repositories are chosen for the kind "${stored.kind}"`);
  }
  const saved = await updateAssistedLoginProfile(db, stored.id, merged).catch(rethrowConflict('name'));
  if (!saved) throw apiError('NOT_FOUND', { message: `No assisted login profile named "${name}"` });
  if (saved.name !== stored.name) await renameInEndpoints(db, 'assistedLoginProfile', stored.name, saved.name);
  forgetCaches();
  const changes = changesBetween(auditedAssisted(stored), auditedAssisted(saved));
  if (Object.keys(changes).length) await recordAudit(db, actor, 'assisted-login-profile.update', stored.name, changes);
  return saved;
}

export async function removeAssistedLoginProfile(db: Database, name: string, actor: AuditActor): Promise<void> {
  const profile = await findAssistedLoginProfileOr404(db, name);
  refuseWhileUsed(`Assisted login profile "${profile.name}"`, await endpointsUsing(db, { assistedLoginProfile: profile.name }));
  await deleteAssistedLoginProfile(db, profile.id);
  forgetCaches();
  await recordAudit(db, actor, 'assisted-login-profile.delete', profile.name);
}

// ---- The Test button ----

/** The whole test, lookups and closing included, answers within this (each directory also has its own timeouts). */
export const DIRECTORY_TEST_LIMIT_MS = 8000;
/** Besides the repository's own user rule, the id is looked up as any of these (what people type as an id). */
const TEST_ID_ATTRIBUTES = ['uid', 'sAMAccountName', 'mail', 'mobile'];

/** All three answers are HTTP 200: the Test button shows the words. */
export type DirectoryTestResult =
  | {
      ok: true;
      found: true;
      ref: string;
      displayName: string;
      /** Masked; null with `phoneProblem` saying why when there is no usable number. */
      phone: string | null;
      phoneProblem?: string;
      groups: string[];
      managerRef: string | null;
      ms: number;
    }
  | { ok: true; found: false; message: string; ms: number }
  | { ok: false; message: string; ms: number };

/** `promise`, or a DirectoryUnavailableError once `deadline` (epoch ms) passes. */
function byDeadline<T>(promise: Promise<T>, deadline: number, repository: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DirectoryUnavailableError(repository, `no answer within ${DIRECTORY_TEST_LIMIT_MS / 1000} s`)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** What an admin needs to see to trust a profile: can it connect, does it find the person, and with what phone, groups and manager. */
async function testDirectory(open: () => Promise<Directory>, id: string, described: string, phoneAttribute: string): Promise<DirectoryTestResult> {
  const started = Date.now();
  const deadline = started + DIRECTORY_TEST_LIMIT_MS;
  const ms = () => Date.now() - started;
  let directory: Directory | null = null;
  try {
    directory = await open();
    const opened = directory;
    const person = await byDeadline(
      (async () => (await opened.findUser(id)) ?? (await opened.findByAttributes(id, TEST_ID_ATTRIBUTES)))(),
      deadline,
      directory.name,
    );
    if (!person) return { ok: true, found: false, message: `No user "${id}" in ${described} (looked up by its user rule and as ${TEST_ID_ATTRIBUTES.join(', ')})`, ms: ms() };
    const parsed = person.phone === null ? null : parseMsisdn(person.phone);
    const phone = parsed?.ok ? { phone: maskMsisdn(parsed.e164) } : { phone: null, phoneProblem: parsed ? `the ${phoneAttribute} attribute ${parsed.reason}` : `no ${phoneAttribute} attribute` };
    return { ok: true, found: true, ref: person.ref, displayName: person.displayName, ...phone, groups: person.groups.map((group) => group.name), managerRef: person.managerRef, ms: ms() };
  } catch (error) {
    if (error instanceof DirectoryUnavailableError || error instanceof DirectorySecretKeyMissingError) return { ok: false, message: error.message, ms: ms() };
    throw error;
  } finally {
    // Closing waits for a connection still being made; it may not hold the answer past the deadline.
    const opened = directory;
    if (opened) await byDeadline(Promise.resolve().then(() => opened.close()), deadline, opened.name).catch(() => undefined);
  }
}

export async function testLdapProfile(env: DirectoryEnv, db: Database, name: string, id: string): Promise<DirectoryTestResult> {
  const profile = await findLdapProfileOr404(db, name);
  return testDirectory(() => openLdapDirectory(env, profile, TEST_ID_ATTRIBUTES), id, `LDAP profile "${profile.name}"`, profile.phoneAttribute);
}

export async function testEntraProfile(env: DirectoryEnv, db: Database, name: string, id: string): Promise<DirectoryTestResult> {
  const profile = await findEntraProfileOr404(db, name);
  return testDirectory(() => openEntraDirectory(env, profile), id, `Entra ID profile "${profile.name}"`, 'mobilePhone');
}
