/** /admin/api/profiles: the Magic Link endpoint profiles (seed: Profile List and Profile Editor). */
import { Hono, type Context } from 'hono';
import { auditActor } from '../../admin/audit';
import { createCallbackSecret, createProfile, editProfile, endpointUrl, findProfileOr404, removeCallbackSecret, removeProfile } from '../../admin/profiles';
import { profileCreateSchema, profileNameSchema, profilePatchSchema, type Profile } from '../../domain/profile';
import { allowedCountriesOf, publicOrigin, type Env } from '../../env';
import { NO_STORE } from '../../http/no-store';
import { database } from '../../store/db';
import { findProfile, listProfiles } from '../../store/profiles';
import { nameCheck } from './name-check';
import { requireRole } from './require-role';
import { readJsonBody } from '../request-body';

export const profilesApi = new Hono<{ Bindings: Env }>();

const profileView = (c: Context<{ Bindings: Env }>, { id: _id, name, isDefault, callbackSecretCreatedAt, ...settings }: Profile) => ({
  name,
  endpoint: endpointUrl(publicOrigin(c.env, c.req.url), { name, isDefault }),
  isDefault,
  ...settings,
  // Never the secret: only whether there is one, and since when.
  callbackSecret: callbackSecretCreatedAt ? { createdAt: callbackSecretCreatedAt.toISOString() } : null,
  // The list in force; `deployment` when the profile follows DEFAULT_ALLOWED_COUNTRIES (PATCH a list to set its own, null to follow again).
  allowedCountries: allowedCountriesOf(settings, c.env),
  allowedCountriesSource: settings.allowedCountries === null ? 'deployment' : 'profile',
});

profilesApi.get('/profiles', requireRole('user'), async (c) => {
  const profiles = await listProfiles(database(c.env.DB));
  return c.json(profiles.map((profile) => profileView(c, profile)));
});

// The console's asynchronous "is this name free?" check while typing (seed: Name, validated asynchronously).
profilesApi.get('/profile-name-check', requireRole('user'), nameCheck(profileNameSchema, findProfile));

profilesApi.post('/profiles', requireRole('admin'), async (c) => {
  const profile = await createProfile(database(c.env.DB), await readJsonBody(c, profileCreateSchema), auditActor(c));
  return c.json(profileView(c, profile), 201);
});

profilesApi.get('/profiles/:name', requireRole('user'), async (c) => {
  return c.json(profileView(c, await findProfileOr404(database(c.env.DB), c.req.param('name'))));
});

profilesApi.patch('/profiles/:name', requireRole('admin'), async (c) => {
  const patch = await readJsonBody(c, profilePatchSchema);
  const saved = await editProfile(database(c.env.DB), c.req.param('name'), patch, auditActor(c));
  return c.json(profileView(c, saved));
});

profilesApi.delete('/profiles/:name', requireRole('admin'), async (c) => {
  await removeProfile(database(c.env.DB), c.req.param('name'), auditActor(c));
  return c.body(null, 204);
});

// The callback signing secret: made (or replaced) here and shown in this answer only.
profilesApi.post('/profiles/:name/callback-secret', requireRole('admin'), async (c) => {
  const { secret, createdAt } = await createCallbackSecret(c.env, database(c.env.DB), c.req.param('name'), auditActor(c));
  return c.json({ secret, createdAt: createdAt.toISOString() }, 201, NO_STORE);
});

profilesApi.delete('/profiles/:name/callback-secret', requireRole('admin'), async (c) => {
  await removeCallbackSecret(database(c.env.DB), c.req.param('name'), auditActor(c));
  return c.body(null, 204);
});
