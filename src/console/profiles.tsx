/**
 * /admin/profiles: the profile list, the profile editor (create and edit), deletion, and the callback
 * secret. Forms are checked by the same schemas and saved by the same services (src/admin/profiles.ts)
 * as the JSON API.
 */
import { auditActor } from '../admin/audit';
import { createCallbackSecret, createProfile, editProfile, endpointUrl, findProfileOr404, removeCallbackSecret, removeProfile } from '../admin/profiles';
import { defaultAllowedCountries, publicOrigin } from '../env';
import { listTokenPage } from '../admin/tokens';
import { parseInput } from '../admin/validation';
import { tokenPageSchema } from '../domain/api-token';
import { profileCreateSchema, profilePatchSchema } from '../domain/profile';
import { hasRole } from '../domain/user';
import { database } from '../store/db';
import { listProfiles } from '../store/profiles';
import { CallbackSecretCreatedPage, callbackSecretPaths, REPLACE_SECRET_WARNING, replaceSecretQuestion } from '../views/console/callback-views';
import { ConfirmPage } from '../views/console/confirm-page';
import { emptyForm, type FormState } from '../views/console/form-fields';
import { paths } from '../views/console/paths';
import { ProfileEditorPage, type AssistedChoices } from '../views/console/profile-editor-page';
import { listAssistedLoginProfiles, listEntraProfiles, listLdapProfiles } from '../store/directory';
import { ProfileListPage } from '../views/console/profile-list-page';
import { readForm, redirectWithFlash, renderPage, takeFlash, type ConsoleContext } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';
import { newProfileFormValues, profileFormErrors, profileFormValues, profileInput, submittedFormValues } from './profile-form';
import { tokenPages } from './tokens';

export const profilePages = pageGroup();

const canEdit = (c: ConsoleContext) => hasRole(c.get('adminUser').role, 'admin');

profilePages.get('/', requirePage('user'), async (c) => {
  const sort = c.req.query('sort') === 'desc' ? 'desc' : 'asc';
  const profiles = await listProfiles(database(c.env.DB)); // by name, ascending
  if (sort === 'desc') profiles.reverse();
  const origin = publicOrigin(c.env, c.req.url);
  const rows = profiles.map(({ name, isDefault }) => ({ name, isDefault, endpoint: endpointUrl(origin, { name, isDefault }) }));
  return renderPage(c, <ProfileListPage user={c.get('adminUser')} profiles={rows} sort={sort} canEdit={canEdit(c)} flash={takeFlash(c)} />);
});

profilePages.get('/new', requirePage('admin'), async (c) =>
  renderPage(c, <ProfileEditorPage user={c.get('adminUser')} form={emptyForm(newProfileFormValues(defaultAllowedCountries(c.env)))} defaultCountries={defaultAllowedCountries(c.env)} assisted={await assistedChoices(c)} canEdit />),
);

profilePages.post('/new', requirePage('admin'), async (c) => {
  const values = await readForm(c);
  try {
    const profile = await createProfile(database(c.env.DB), parseInput(profileCreateSchema, profileInput(values)), auditActor(c));
    return redirectWithFlash(c, paths.profile(profile.name), `Profile “${profile.name}” created. Its API tokens are under API Token Management.`);
  } catch (error) {
    const errors = profileFormErrors(error, values);
    if (!errors) throw error;
    return renderPage(c, <ProfileEditorPage user={c.get('adminUser')} form={{ values: submittedFormValues(values), errors }} defaultCountries={defaultAllowedCountries(c.env)} assisted={await assistedChoices(c)} canEdit />, 400);
  }
});

/** The Assisted Login tab's choices: the assisted login profiles and the repositories that exist. */
async function assistedChoices(c: ConsoleContext): Promise<AssistedChoices> {
  const db = database(c.env.DB);
  const [profiles, ldap, entra] = await Promise.all([listAssistedLoginProfiles(db), listLdapProfiles(db), listEntraProfiles(db)]);
  return { profiles: profiles.map(({ name, kind }) => ({ name, kind })), ldapProfiles: ldap.map(({ name }) => name), entraProfiles: entra.map(({ name }) => name) };
}

/** The editor of a stored profile, with its token tab; after a refused form, that form with its errors. */
export async function editorPage(
  c: ConsoleContext,
  name: string,
  refused?: { profile?: FormState; createToken?: FormState; importToken?: FormState },
): Promise<Response> {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, name);
  const user = c.get('adminUser');
  const query = tokenPageSchema.safeParse(c.req.query());
  const list = await listTokenPage(db, profile, query.success ? query.data : tokenPageSchema.parse({}));
  const editable = canEdit(c);
  return renderPage(
    c,
    <ProfileEditorPage
      user={user}
      flash={refused ? undefined : takeFlash(c)}
      stored={{
        name: profile.name,
        isDefault: profile.isDefault,
        endpoint: endpointUrl(publicOrigin(c.env, c.req.url), profile),
        callbackSecretCreatedAt: profile.callbackSecretCreatedAt,
      }}
      form={refused?.profile ?? emptyForm(profileFormValues(profile, defaultAllowedCountries(c.env)))}
      defaultCountries={defaultAllowedCountries(c.env)}
      assisted={await assistedChoices(c)}
      canEdit={editable}
      tokens={{
        profileName: profile.name,
        list,
        canEdit: editable,
        create: refused?.createToken ?? emptyForm(),
        import: refused?.importToken ?? emptyForm(),
        now: new Date(),
      }}
    />,
    refused ? 400 : 200,
  );
}

async function saveProfile(c: ConsoleContext) {
  const name = c.req.param('name') ?? '';
  const values = await readForm(c);
  try {
    const saved = await editProfile(database(c.env.DB), name, parseInput(profilePatchSchema, profileInput(values)), auditActor(c));
    return redirectWithFlash(c, paths.profile(saved.name), `Profile “${saved.name}” saved.`);
  } catch (error) {
    const errors = profileFormErrors(error, values);
    if (!errors) throw error;
    return editorPage(c, name, { profile: { values: submittedFormValues(values), errors } });
  }
}

profilePages.get('/:name', requirePage('user'), (c) => editorPage(c, c.req.param('name')));
profilePages.post('/:name', requirePage('admin'), saveProfile);
// A profile named "new" is edited here, since /admin/profiles/new creates one (see paths.profile).
profilePages.get('/:name/edit', requirePage('user'), (c) => editorPage(c, c.req.param('name')));
profilePages.post('/:name/edit', requirePage('admin'), saveProfile);

// Without JavaScript, Delete leads here to confirm; with it, a dialog confirms and POSTs here directly.
profilePages.get('/:name/delete', requirePage('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name'));
  const { total } = await listTokenPage(db, profile, { page: 0, size: 1 });
  return renderPage(
    c,
    <ConfirmPage
      user={c.get('adminUser')}
      title={`Delete the profile “${profile.name}”?`}
      message={`${total === 0 ? 'It has no API tokens' : total === 1 ? 'Its API token is deleted with it' : `Its ${total} API tokens are deleted with it`}, and applications calling ${endpointUrl(publicOrigin(c.env, c.req.url), profile)} will get 404. This cannot be undone.`}
      action={paths.profileDelete(profile.name)}
      confirmLabel="Delete profile"
      cancelHref={paths.profile(profile.name)}
      trail={[{ label: 'Profiles', href: '/admin/profiles' }, { label: profile.name, href: paths.profile(profile.name) }, { label: 'Delete' }]}
    />,
  );
});

profilePages.post('/:name/delete', requirePage('admin'), async (c) => {
  const name = c.req.param('name');
  await removeProfile(database(c.env.DB), name, auditActor(c));
  return redirectWithFlash(c, '/admin/profiles', `Profile “${name}” deleted, with its API tokens.`);
});

// The callback secret (the editor's Callbacks tab). Without JavaScript, Replace and Delete lead to a GET
// that confirms; with it, a dialog confirms and POSTs directly. The POST answers the new secret, once.
profilePages.get('/:name/callback-secret', requirePage('admin'), async (c) => {
  const profile = await findProfileOr404(database(c.env.DB), c.req.param('name'));
  if (!profile.callbackSecretCreatedAt) return c.redirect(callbackSecretPaths.tab(profile.name), 303);
  return renderPage(
    c,
    <ConfirmPage
      user={c.get('adminUser')}
      title={replaceSecretQuestion(profile.name)}
      message={`${REPLACE_SECRET_WARNING} The new secret is shown only once.`}
      action={callbackSecretPaths.create(profile.name)}
      confirmLabel="Replace callback secret"
      cancelHref={callbackSecretPaths.tab(profile.name)}
      trail={[{ label: 'Profiles', href: '/admin/profiles' }, { label: profile.name, href: callbackSecretPaths.tab(profile.name) }, { label: 'Replace callback secret' }]}
    />,
  );
});

profilePages.post('/:name/callback-secret', requirePage('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name'));
  const { secret, createdAt } = await createCallbackSecret(c.env, db, profile.name, auditActor(c));
  return renderPage(
    c,
    <CallbackSecretCreatedPage user={c.get('adminUser')} profileName={profile.name} secret={secret} createdAt={createdAt} replaced={profile.callbackSecretCreatedAt !== null} />,
    201,
  );
});

profilePages.get('/:name/callback-secret/delete', requirePage('admin'), async (c) => {
  const profile = await findProfileOr404(database(c.env.DB), c.req.param('name'));
  if (!profile.callbackSecretCreatedAt) return c.redirect(callbackSecretPaths.tab(profile.name), 303);
  return renderPage(
    c,
    <ConfirmPage
      user={c.get('adminUser')}
      title={`Delete the callback secret of “${profile.name}”?`}
      message="Callers naming a callback-url are refused until a new secret is created. This cannot be undone."
      action={callbackSecretPaths.delete(profile.name)}
      confirmLabel="Delete callback secret"
      cancelHref={callbackSecretPaths.tab(profile.name)}
      trail={[{ label: 'Profiles', href: '/admin/profiles' }, { label: profile.name, href: callbackSecretPaths.tab(profile.name) }, { label: 'Delete callback secret' }]}
    />,
  );
});

profilePages.post('/:name/callback-secret/delete', requirePage('admin'), async (c) => {
  const name = c.req.param('name');
  await removeCallbackSecret(database(c.env.DB), name, auditActor(c));
  return redirectWithFlash(c, callbackSecretPaths.tab(name), `Callback secret of “${name}” deleted.`);
});

profilePages.route('/:name/tokens', tokenPages);
