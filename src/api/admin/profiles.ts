/** /admin/api/profiles: the Magic Link endpoint profiles (seed: Profile List and Profile Editor). */
import { Hono, type Context } from 'hono';
import { apiError } from '../../domain/api-error';
import {
  applyProfilePatch,
  profileCreateSchema,
  profileNameSchema,
  profilePatchSchema,
  profileSettingsSchema,
  type Profile,
} from '../../domain/profile';
import type { Env } from '../../env';
import { database, type Database } from '../../store/db';
import { deleteProfile, findProfile, forgetCachedProfiles, insertProfile, listProfiles, updateProfile } from '../../store/profiles';
import { requireRole } from './require-role';
import { parseInput, readJsonBody, rethrowConflict } from './validation';

export const profilesApi = new Hono<{ Bindings: Env }>();

/** The profile named in the path, or 404. */
export async function findProfileOr404(db: Database, name: string): Promise<Profile> {
  const profile = await findProfile(db, name);
  if (!profile) throw apiError('NOT_FOUND', { message: `No profile named "${name}"` });
  return profile;
}

/** Seed: the default profile serves /api/sfwa/auth, a named one /api/sfwa/auth/{name}. */
function endpointUrl(c: Context<{ Bindings: Env }>, profile: Pick<Profile, 'name' | 'isDefault'>): string {
  const origin = c.env.PUBLIC_ORIGIN ?? new URL(c.req.url).origin;
  return `${origin}/api/sfwa/auth${profile.isDefault ? '' : `/${encodeURIComponent(profile.name)}`}`;
}

const profileView = (c: Context<{ Bindings: Env }>, { id: _id, name, isDefault, ...settings }: Profile) => ({
  name,
  endpoint: endpointUrl(c, { name, isDefault }),
  isDefault,
  ...settings,
});

profilesApi.get('/profiles', requireRole('user'), async (c) => {
  const profiles = await listProfiles(database(c.env.DB));
  return c.json(profiles.map((profile) => profileView(c, profile)));
});

// The console's asynchronous "is this name free?" check while typing (seed: Name, validated asynchronously).
profilesApi.get('/profile-name-check', requireRole('user'), async (c) => {
  const name = c.req.query('name') ?? '';
  const valid = profileNameSchema.safeParse(name);
  if (!valid.success) return c.json({ name, available: false, reason: valid.error.issues[0]?.message ?? 'is invalid' });
  if (await findProfile(database(c.env.DB), name)) return c.json({ name, available: false, reason: 'is already taken' });
  return c.json({ name, available: true });
});

profilesApi.post('/profiles', requireRole('admin'), async (c) => {
  const { name, ...settings } = await readJsonBody(c, profileCreateSchema);
  const profile = await insertProfile(database(c.env.DB), name, settings).catch(rethrowConflict('name'));
  forgetCachedProfiles();
  return c.json(profileView(c, profile), 201);
});

profilesApi.get('/profiles/:name', requireRole('user'), async (c) => {
  return c.json(profileView(c, await findProfileOr404(database(c.env.DB), c.req.param('name'))));
});

profilesApi.patch('/profiles/:name', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name'));
  const patch = await readJsonBody(c, profilePatchSchema);
  // The default profile is the one every deployment has (seeded by name); it keeps that name.
  if (profile.isDefault && patch.name !== undefined && patch.name !== profile.name) {
    throw apiError('BAD_REQUEST', { errors: [{ field: 'name', message: 'the default profile cannot be renamed' }] });
  }
  const merged = applyProfilePatch(profile, patch);
  // Checked again as a whole: a patch may be valid alone yet break a rule across fields (perMinute > perHour).
  const settings = parseInput(profileSettingsSchema, merged);
  const saved = await updateProfile(db, { ...merged, ...settings }).catch(rethrowConflict('name'));
  forgetCachedProfiles();
  return c.json(profileView(c, saved));
});

profilesApi.delete('/profiles/:name', requireRole('admin'), async (c) => {
  const db = database(c.env.DB);
  const profile = await findProfileOr404(db, c.req.param('name'));
  if (profile.isDefault) throw apiError('BAD_REQUEST', { message: 'the default profile cannot be deleted' });
  // Its API tokens go with it (ON DELETE CASCADE).
  if (!(await deleteProfile(db, profile.id))) throw apiError('NOT_FOUND', { message: `No profile named "${profile.name}"` });
  forgetCachedProfiles();
  return c.body(null, 204);
});
