/**
 * /admin/api: assisted login's user repositories and rules: the local user database
 * (/directory-users), LDAP and Entra ID profiles, and assisted login profiles. Views never carry a
 * credential (`bindPasswordSet`, `clientSecretSet` instead) nor a whole phone number.
 */
import { Hono } from 'hono';
import { auditActor } from '../../admin/audit';
import {
  createAssistedLoginProfile,
  createDirectoryUser,
  createEntraProfile,
  createLdapProfile,
  directoryImportSchema,
  directoryUserListSchema,
  editAssistedLoginProfile,
  editDirectoryUser,
  editEntraProfile,
  editLdapProfile,
  findAssistedLoginProfileOr404,
  findDirectoryUserOr404,
  findEntraProfileOr404,
  findLdapProfileOr404,
  importDirectoryUsers,
  listDirectoryUserPage,
  removeAssistedLoginProfile,
  removeDirectoryUser,
  removeEntraProfile,
  removeLdapProfile,
  testEntraProfile,
  testLdapProfile,
} from '../../admin/directory';
import { parseInput } from '../../admin/validation';
import { assistedLoginProfilePatchSchema, assistedLoginProfileSchema, type AssistedLoginProfile } from '../../domain/assisted-login';
import {
  configNameSchema,
  directoryTestSchema,
  directoryUserPatchSchema,
  directoryUserSchema,
  entraProfilePatchSchema,
  entraProfileSchema,
  ldapProfilePatchSchema,
  ldapProfileSchema,
} from '../../domain/directory-config';
import type { Env } from '../../env';
import { database, type Database } from '../../store/db';
import {
  endpointsUsing,
  findAssistedLoginProfile,
  listAssistedLoginProfiles,
  listEntraProfiles,
  listLdapProfiles,
  type StoredDirectoryUser,
  type StoredEntraProfile,
  type StoredLdapProfile,
} from '../../store/directory';
import { readJsonBody } from '../request-body';
import { nameCheck } from './name-check';
import { requireRole } from './require-role';

export const directoryApi = new Hono<{ Bindings: Env }>();

const directoryUserView = (user: StoredDirectoryUser) => ({
  username: user.username,
  displayName: user.displayName,
  phone: user.phoneMasked,
  email: user.email,
  groups: user.groups,
  manager: user.manager,
});

const ldapProfileView = ({ id: _id, bindPasswordSealed: _sealed, ...profile }: StoredLdapProfile, usedBy: string[]) => ({ ...profile, bindPasswordSet: true, usedBy });
const entraProfileView = ({ id: _id, clientSecretSealed: _sealed, ...profile }: StoredEntraProfile, usedBy: string[]) => ({ ...profile, clientSecretSet: true, usedBy });
const assistedLoginProfileView = ({ id: _id, ...profile }: AssistedLoginProfile, usedBy: string[]) => ({ ...profile, usedBy });

// `usedBy`: the endpoint profiles naming it, which a delete would break (and so is refused while any does).
const ldapUsedBy = (db: Database, profile: StoredLdapProfile) => endpointsUsing(db, { ldapProfile: profile.name });
const entraUsedBy = (db: Database, profile: StoredEntraProfile) => endpointsUsing(db, { entraProfile: profile.name });
const assistedUsedBy = (db: Database, profile: AssistedLoginProfile) => endpointsUsing(db, { assistedLoginProfile: profile.name });

// ---- The local user database ----

directoryApi.get('/directory-users', requireRole('user'), async (c) => {
  const { items, ...page } = await listDirectoryUserPage(database(c.env.DB), parseInput(directoryUserListSchema, c.req.query()));
  return c.json({ items: items.map(directoryUserView), ...page });
});

directoryApi.post('/directory-users', requireRole('admin'), async (c) => {
  const user = await createDirectoryUser(database(c.env.DB), c.env, await readJsonBody(c, directoryUserSchema), auditActor(c));
  return c.json(directoryUserView(user), 201);
});

directoryApi.post('/directory-users/import', requireRole('admin'), async (c) => {
  const { csv } = await readJsonBody(c, directoryImportSchema);
  return c.json(await importDirectoryUsers(database(c.env.DB), c.env, csv, auditActor(c)));
});

directoryApi.get('/directory-users/:username', requireRole('user'), async (c) => {
  return c.json(directoryUserView(await findDirectoryUserOr404(database(c.env.DB), c.req.param('username'))));
});

directoryApi.patch('/directory-users/:username', requireRole('admin'), async (c) => {
  const patch = await readJsonBody(c, directoryUserPatchSchema);
  return c.json(directoryUserView(await editDirectoryUser(database(c.env.DB), c.env, c.req.param('username'), patch, auditActor(c))));
});

directoryApi.delete('/directory-users/:username', requireRole('admin'), async (c) => {
  await removeDirectoryUser(database(c.env.DB), c.req.param('username'), auditActor(c));
  return c.body(null, 204);
});

// ---- LDAP profiles ----

directoryApi.get('/ldap-profiles', requireRole('user'), async (c) => {
  const db = database(c.env.DB);
  const profiles = await listLdapProfiles(db);
  return c.json(await Promise.all(profiles.map(async (profile) => ldapProfileView(profile, await ldapUsedBy(db, profile)))));
});

directoryApi.post('/ldap-profiles', requireRole('admin'), async (c) => {
  const profile = await createLdapProfile(database(c.env.DB), c.env, await readJsonBody(c, ldapProfileSchema), auditActor(c));
  return c.json(ldapProfileView(profile, []), 201);
});

directoryApi.get('/ldap-profiles/:name', requireRole('user'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findLdapProfileOr404(db, c.req.param('name'));
  return c.json(ldapProfileView(profile, await ldapUsedBy(db, profile)));
});

directoryApi.patch('/ldap-profiles/:name', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const patch = await readJsonBody(c, ldapProfilePatchSchema);
  const saved = await editLdapProfile(db, c.env, c.req.param('name'), patch, auditActor(c));
  return c.json(ldapProfileView(saved, await ldapUsedBy(db, saved)));
});

directoryApi.delete('/ldap-profiles/:name', requireRole('admin'), async (c) => {
  await removeLdapProfile(database(c.env.DB), c.req.param('name'), auditActor(c));
  return c.body(null, 204);
});

// An admin's action: it binds with the stored credential and reads a person's phone, groups and manager.
directoryApi.post('/ldap-profiles/:name/test', requireRole('admin'), async (c) => {
  const { id } = await readJsonBody(c, directoryTestSchema);
  return c.json(await testLdapProfile(c.env, database(c.env.DB), c.req.param('name'), id));
});

// ---- Entra ID profiles ----

directoryApi.get('/entra-profiles', requireRole('user'), async (c) => {
  const db = database(c.env.DB);
  const profiles = await listEntraProfiles(db);
  return c.json(await Promise.all(profiles.map(async (profile) => entraProfileView(profile, await entraUsedBy(db, profile)))));
});

directoryApi.post('/entra-profiles', requireRole('admin'), async (c) => {
  const profile = await createEntraProfile(database(c.env.DB), c.env, await readJsonBody(c, entraProfileSchema), auditActor(c));
  return c.json(entraProfileView(profile, []), 201);
});

directoryApi.get('/entra-profiles/:name', requireRole('user'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findEntraProfileOr404(db, c.req.param('name'));
  return c.json(entraProfileView(profile, await entraUsedBy(db, profile)));
});

directoryApi.patch('/entra-profiles/:name', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const patch = await readJsonBody(c, entraProfilePatchSchema);
  const saved = await editEntraProfile(db, c.env, c.req.param('name'), patch, auditActor(c));
  return c.json(entraProfileView(saved, await entraUsedBy(db, saved)));
});

directoryApi.delete('/entra-profiles/:name', requireRole('admin'), async (c) => {
  await removeEntraProfile(database(c.env.DB), c.req.param('name'), auditActor(c));
  return c.body(null, 204);
});

directoryApi.post('/entra-profiles/:name/test', requireRole('admin'), async (c) => {
  const { id } = await readJsonBody(c, directoryTestSchema);
  return c.json(await testEntraProfile(c.env, database(c.env.DB), c.req.param('name'), id));
});

// ---- Assisted login profiles ----

directoryApi.get('/assisted-login-profile-name-check', requireRole('user'), nameCheck(configNameSchema, findAssistedLoginProfile));

directoryApi.get('/assisted-login-profiles', requireRole('user'), async (c) => {
  const db = database(c.env.DB);
  const profiles = await listAssistedLoginProfiles(db);
  return c.json(await Promise.all(profiles.map(async (profile) => assistedLoginProfileView(profile, await assistedUsedBy(db, profile)))));
});

directoryApi.post('/assisted-login-profiles', requireRole('admin'), async (c) => {
  const profile = await createAssistedLoginProfile(database(c.env.DB), await readJsonBody(c, assistedLoginProfileSchema), auditActor(c));
  return c.json(assistedLoginProfileView(profile, []), 201);
});

directoryApi.get('/assisted-login-profiles/:name', requireRole('user'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findAssistedLoginProfileOr404(db, c.req.param('name'));
  return c.json(assistedLoginProfileView(profile, await assistedUsedBy(db, profile)));
});

directoryApi.patch('/assisted-login-profiles/:name', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const patch = await readJsonBody(c, assistedLoginProfilePatchSchema);
  const saved = await editAssistedLoginProfile(db, c.req.param('name'), patch, auditActor(c));
  return c.json(assistedLoginProfileView(saved, await assistedUsedBy(db, saved)));
});

directoryApi.delete('/assisted-login-profiles/:name', requireRole('admin'), async (c) => {
  await removeAssistedLoginProfile(database(c.env.DB), c.req.param('name'), auditActor(c));
  return c.body(null, 204);
});
