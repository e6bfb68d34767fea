/**
 * /admin/profiles/{name}/tokens: create, import and delete a profile's API tokens from the editor's
 * API Token Management tab, through the same schemas and services (src/admin/tokens.ts) as the JSON API.
 * A created token is answered with a page that shows it once; nothing else ever shows it again.
 */
import { Hono } from 'hono';
import { auditActor } from '../admin/audit';
import { findProfileOr404 } from '../admin/profiles';
import { createToken, importToken, removeToken } from '../admin/tokens';
import { parseInput } from '../admin/validation';
import { tokenCreateSchema, tokenImportSchema } from '../domain/api-token';
import type { Env } from '../env';
import { database } from '../store/db';
import { ConfirmPage } from '../views/console/confirm-page';
import type { FieldErrors, FormValues } from '../views/console/form-fields';
import { paths } from '../views/console/paths';
import { TokenCreatedPage } from '../views/console/token-views';
import { fieldErrorsOf, readForm, redirectWithFlash, renderPage, type ConsoleContext } from './page';
import { requirePage } from './page-auth';
import { editorPage } from './profiles';

// Mounted inside the profile pages' group, which adds no-store and the same-origin guard.
export const tokenPages = new Hono<{ Bindings: Env }>();

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The form's "Expires at" (an <input type="date">) as the schema's ISO date-time: the end of that day,
 * UTC, so a token dated today works until midnight UTC. Empty means no expiry.
 */
function expiresAtInput(text: string | undefined): string | null {
  if (!text) return null;
  if (DATE.test(text)) {
    const end = new Date(`${text}T23:59:59.999Z`);
    if (!Number.isNaN(end.getTime()) && end.toISOString().startsWith(text)) return end.toISOString();
  }
  return text;
}

/** Errors of a token form; a date the browser did not pick (no date input) is named as a date problem. */
function tokenFormErrors(error: unknown, values: FormValues): FieldErrors | null {
  const errors = fieldErrorsOf(error);
  if (errors?.['expiresAt'] && values['expiresAt'] && !DATE.test(values['expiresAt'])) errors['expiresAt'] = 'must be a date such as 2027-01-31';
  return errors;
}

// The profile's name is a parameter of the path this sub-app is mounted at (/admin/profiles/:name/tokens).
const profileName = (c: ConsoleContext): string => c.req.param('name') ?? '';

// After a session ends mid-form, sign-in comes back to the address of the POST: send it to the tab.
tokenPages.get('/', requirePage('user'), (c) => c.redirect(paths.profileTokens(profileName(c)), 303));
tokenPages.get('/import', requirePage('user'), (c) => c.redirect(paths.profileTokens(profileName(c)), 303));

tokenPages.post('/', requirePage('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, profileName(c));
  const values = await readForm(c);
  try {
    const input = parseInput(tokenCreateSchema, { name: values['name'] ?? '', expiresAt: expiresAtInput(values['expiresAt']) });
    const { token, apiKey } = await createToken(db, profile, input, auditActor(c));
    return renderPage(c, <TokenCreatedPage user={c.get('adminUser')} profileName={profile.name} apiKey={apiKey} token={token} />, 201);
  } catch (error) {
    const errors = tokenFormErrors(error, values);
    if (!errors) throw error;
    return editorPage(c, profile.name, { createToken: { values, errors } });
  }
});

tokenPages.post('/import', requirePage('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, profileName(c));
  const values = await readForm(c);
  try {
    const input = parseInput(tokenImportSchema, { name: values['name'] ?? '', token: values['token'] ?? '', expiresAt: expiresAtInput(values['expiresAt']) });
    const token = await importToken(db, profile, input, auditActor(c));
    return redirectWithFlash(c, paths.profileTokens(profile.name), `API token “${token.name}” imported.`);
  } catch (error) {
    const errors = tokenFormErrors(error, values);
    if (!errors) throw error;
    return editorPage(c, profile.name, { importToken: { values, errors } });
  }
});

tokenPages.get('/:tokenName/delete', requirePage('admin'), async (c) => {
  const profile = await findProfileOr404(database(c.env.DB), profileName(c));
  const tokenName = c.req.param('tokenName');
  return renderPage(
    c,
    <ConfirmPage
      user={c.get('adminUser')}
      title={`Delete the API token “${tokenName}”?`}
      message={`Applications sending it to ${profile.name} will be refused. This cannot be undone.`}
      action={paths.tokenDelete(profile.name, tokenName)}
      confirmLabel="Delete token"
      cancelHref={paths.profileTokens(profile.name)}
      trail={[{ label: 'Profiles', href: '/admin/profiles' }, { label: profile.name, href: paths.profileTokens(profile.name) }, { label: 'Delete API token' }]}
    />,
  );
});

tokenPages.post('/:tokenName/delete', requirePage('admin'), async (c) => {
  const profile = await findProfileOr404(database(c.env.DB), profileName(c));
  const tokenName = c.req.param('tokenName');
  await removeToken(database(c.env.DB), profile, tokenName, auditActor(c));
  return redirectWithFlash(c, paths.profileTokens(profile.name), `API token “${tokenName}” deleted.`);
});
