/**
 * /admin/assisted: assisted login's rules and user repositories. The three kinds of named settings
 * (src/console/named-settings.tsx) and the local user database, through the same services as the JSON
 * API (src/admin/directory.ts), so the same rules, audit records and errors.
 */
import { Hono } from 'hono';
import { auditActor } from '../admin/audit';
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
} from '../admin/directory';
import { parseInput } from '../admin/validation';
import { assistedLoginProfilePatchSchema, assistedLoginProfileSchema } from '../domain/assisted-login';
import { directoryUserPatchSchema, directoryUserSchema, entraProfilePatchSchema, entraProfileSchema, ldapProfilePatchSchema, ldapProfileSchema } from '../domain/directory-config';
import { ApiError } from '../domain/api-error';
import { hasRole } from '../domain/user';
import type { Env } from '../env';
import { database } from '../store/db';
import { endpointsUsing, listAssistedLoginProfiles, listEntraProfiles, listLdapProfiles, type StoredDirectoryUser } from '../store/directory';
import { ASSISTED_KIND_LABEL, ASSISTED_PROFILE_KIND, ENTRA_PROFILE_KIND, LDAP_PROFILE_KIND } from '../views/console/assisted-kinds';
import { ConfirmPage } from '../views/console/confirm-page';
import { DirectoryUserEditorPage, DirectoryUserListPage, deleteUserQuestion } from '../views/console/directory-users-page';
import { emptyForm, sentence, type FormState, type FormValues } from '../views/console/form-fields';
import { ASSISTED_PATHS, paths } from '../views/console/paths';
import { lines } from './form-input';
import { namedSettingsPages } from './named-settings';
import { fieldErrorsOf, readForm, redirectWithFlash, renderPage, takeFlash, type ConsoleContext } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';

const db = (c: ConsoleContext) => database(c.env.DB);
const canEdit = (c: ConsoleContext) => hasRole(c.get('adminUser').role, 'admin');

const assistedProfilePages = namedSettingsPages({
  kind: ASSISTED_PROFILE_KIND,
  createSchema: assistedLoginProfileSchema,
  patchSchema: assistedLoginProfilePatchSchema,
  list: (c) => listAssistedLoginProfiles(db(c)),
  find: (c, name) => findAssistedLoginProfileOr404(db(c), name),
  usedBy: (c, profile) => endpointsUsing(db(c), { assistedLoginProfile: profile.name }),
  summary: (profile) => ASSISTED_KIND_LABEL[profile.kind],
  create: (c, input) => createAssistedLoginProfile(db(c), input, auditActor(c)),
  edit: (c, name, patch) => editAssistedLoginProfile(db(c), name, patch, auditActor(c)),
  remove: (c, name) => removeAssistedLoginProfile(db(c), name, auditActor(c)),
});

const ldapPages = namedSettingsPages({
  kind: LDAP_PROFILE_KIND,
  createSchema: ldapProfileSchema,
  patchSchema: ldapProfilePatchSchema,
  list: (c) => listLdapProfiles(db(c)),
  find: (c, name) => findLdapProfileOr404(db(c), name),
  usedBy: (c, profile) => endpointsUsing(db(c), { ldapProfile: profile.name }),
  summary: (profile) => <code>{profile.url}</code>,
  create: (c, input) => createLdapProfile(db(c), c.env, input, auditActor(c)),
  edit: (c, name, patch) => editLdapProfile(db(c), c.env, name, patch, auditActor(c)),
  remove: (c, name) => removeLdapProfile(db(c), name, auditActor(c)),
  test: (c, name, id) => testLdapProfile(c.env, db(c), name, id),
});

const entraPages = namedSettingsPages({
  kind: ENTRA_PROFILE_KIND,
  createSchema: entraProfileSchema,
  patchSchema: entraProfilePatchSchema,
  list: (c) => listEntraProfiles(db(c)),
  find: (c, name) => findEntraProfileOr404(db(c), name),
  usedBy: (c, profile) => endpointsUsing(db(c), { entraProfile: profile.name }),
  summary: (profile) => profile.tenantId,
  create: (c, input) => createEntraProfile(db(c), c.env, input, auditActor(c)),
  edit: (c, name, patch) => editEntraProfile(db(c), c.env, name, patch, auditActor(c)),
  remove: (c, name) => removeEntraProfile(db(c), name, auditActor(c)),
  test: (c, name, id) => testEntraProfile(c.env, db(c), name, id),
});

// ---- The local user database ----

const userPages = pageGroup();

async function userListPage(c: ConsoleContext, refusedImport?: FormState) {
  const query = parseInput(directoryUserListSchema, c.req.query());
  const { items, page, size, total } = await listDirectoryUserPage(db(c), query);
  return renderPage(
    c,
    <DirectoryUserListPage
      user={c.get('adminUser')}
      users={items}
      search={query.search ?? ''}
      page={page}
      size={size}
      total={total}
      canEdit={canEdit(c)}
      flash={refusedImport ? undefined : takeFlash(c)}
      importForm={refusedImport ?? emptyForm()}
    />,
    refusedImport ? 400 : 200,
  );
}

const userFormValues = (user: StoredDirectoryUser): FormValues => ({
  username: user.username,
  displayName: user.displayName,
  email: user.email,
  groups: user.groups.join('\n'),
  manager: user.manager ?? '',
});

const optional = (text: string | undefined) => ((text ?? '').trim() === '' ? null : (text ?? ''));

/** The form as the JSON API's body. Editing, an empty phone keeps the stored one unless "Remove" is ticked. */
function userInput(values: FormValues, editing: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {
    username: values['username'] ?? '',
    displayName: values['displayName'] ?? '',
    email: values['email'] ?? '',
    groups: lines(values['groups']),
    manager: optional(values['manager']),
  };
  const phone = optional(values['phone']);
  if (!editing || phone !== null) input['phone'] = phone;
  else if (values['removePhone'] !== undefined) input['phone'] = null;
  return input;
}

function userEditor(c: ConsoleContext, form: FormState, stored?: StoredDirectoryUser, status: 200 | 400 = 200) {
  return renderPage(c, <DirectoryUserEditorPage user={c.get('adminUser')} stored={stored} form={form} canEdit={canEdit(c)} flash={status === 200 ? takeFlash(c) : undefined} />, status);
}

userPages.get('/', requirePage('user'), (c) => userListPage(c));

userPages.get('/new', requirePage('admin'), (c) => userEditor(c, emptyForm()));
userPages.post('/new', requirePage('admin'), async (c) => {
  const values = await readForm(c);
  try {
    const user = await createDirectoryUser(db(c), c.env, parseInput(directoryUserSchema, userInput(values, false)), auditActor(c));
    return redirectWithFlash(c, ASSISTED_PATHS.users, `“${user.username}” added to the local user database.`);
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return userEditor(c, { values, errors }, undefined, 400);
  }
});

userPages.post('/import', requirePage('admin'), async (c) => {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const file = body['file'];
  const pasted = typeof body['csv'] === 'string' ? body['csv'] : '';
  // A chosen file wins over pasted text; a browser sends an empty file part when none is chosen.
  const csv = file instanceof File && file.size > 0 ? await file.text() : pasted;
  try {
    const { created, updated } = await importDirectoryUsers(db(c), c.env, parseInput(directoryImportSchema, { csv }).csv, auditActor(c));
    return redirectWithFlash(c, ASSISTED_PATHS.users, `Imported: ${created} added, ${updated} updated.`);
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return userListPage(c, { values: { csv: pasted }, errors });
  }
});
userPages.get('/import', requirePage('user'), (c) => c.redirect(ASSISTED_PATHS.users, 303));

async function saveUser(c: ConsoleContext) {
  const stored = await findDirectoryUserOr404(db(c), c.req.param('username') ?? '');
  const values = await readForm(c);
  try {
    const saved = await editDirectoryUser(db(c), c.env, stored.username, parseInput(directoryUserPatchSchema, userInput(values, true)), auditActor(c));
    return redirectWithFlash(c, paths.directoryUser(saved.username), `“${saved.username}” saved.`);
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return userEditor(c, { values, errors }, stored, 400);
  }
}

const showUser = async (c: ConsoleContext) => {
  const stored = await findDirectoryUserOr404(db(c), c.req.param('username') ?? '');
  return userEditor(c, emptyForm(userFormValues(stored)), stored);
};

userPages.get('/:username', requirePage('user'), showUser);
userPages.post('/:username', requirePage('admin'), saveUser);
// "new" and "import" are edited here (see paths.directoryUser).
userPages.get('/:username/edit', requirePage('user'), showUser);
userPages.post('/:username/edit', requirePage('admin'), saveUser);

userPages.get('/:username/delete', requirePage('admin'), async (c) => {
  const stored = await findDirectoryUserOr404(db(c), c.req.param('username'));
  const editor = paths.directoryUser(stored.username);
  return renderPage(
    c,
    <ConfirmPage
      user={c.get('adminUser')}
      title={`Delete “${stored.username}”?`}
      message={deleteUserQuestion(stored.username)}
      action={paths.directoryUserDelete(stored.username)}
      confirmLabel="Delete user"
      cancelHref={editor}
      trail={[{ label: 'Assisted login', href: '/admin/assisted' }, { label: 'Local users', href: ASSISTED_PATHS.users }, { label: stored.username, href: editor }, { label: 'Delete' }]}
      section="assisted"
    />,
  );
});

userPages.post('/:username/delete', requirePage('admin'), async (c) => {
  const username = c.req.param('username');
  try {
    await removeDirectoryUser(db(c), username, auditActor(c));
  } catch (error) {
    // A manager of others stays until they have another manager: say so on their page.
    if (error instanceof ApiError && error.body.code === 'CONFLICT') return redirectWithFlash(c, paths.directoryUser(username), `${sentence(error.body.message)}.`);
    throw error;
  }
  return redirectWithFlash(c, ASSISTED_PATHS.users, `“${username}” deleted from the local user database.`);
});

export const assistedPages = new Hono<{ Bindings: Env }>();

assistedPages.get('/', (c) => {
  c.header('cache-control', 'no-store');
  return c.redirect(ASSISTED_PATHS.profiles, 303);
});
assistedPages.route('/profiles', assistedProfilePages);
assistedPages.route('/users', userPages);
assistedPages.route('/ldap', ldapPages);
assistedPages.route('/entra', entraPages);

