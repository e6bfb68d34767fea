/**
 * Profile changes, shared by the admin JSON API and the console's forms: each rule lives here once
 * (a taken name, the default profile's fixed name, a patch re-validated as a whole, assisted login
 * settings naming profiles that exist and fit the assisted login profile's kind). Callers pass
 * input already parsed by the profile schemas; failures are thrown as ApiError with field errors.
 */
import { apiError } from '../domain/api-error';
import { endpointAssistedLoginProblems, type EndpointAssistedLogin } from '../domain/assisted-login';
import { changesBetween, type AuditActor } from '../domain/audit';
import { applyProfilePatch, profileSettingsSchema, type Profile, type ProfileCreate, type ProfilePatch } from '../domain/profile';
import type { Database } from '../store/db';
import { findAssistedLoginProfile, listEntraProfiles, listLdapProfiles } from '../store/directory';
import type { Env } from '../env';
import { newCallbackSecret } from '../security/callback-secret';
import { deleteProfile, findProfile, forgetCachedProfiles, insertProfile, setCallbackSecret, updateProfile } from '../store/profiles';
import { createdWith, recordAudit } from './audit';
import { parseInput, rethrowConflict } from './validation';

/** The profile of that name, or 404. */
export async function findProfileOr404(db: Database, name: string): Promise<Profile> {
  const profile = await findProfile(db, name);
  if (!profile) throw apiError('NOT_FOUND', { message: `No profile named "${name}"` });
  return profile;
}

/** Seed: the default profile serves /api/sfwa/auth, a named one /api/sfwa/auth/{name}. */
export const endpointUrl = (origin: string, profile: Pick<Profile, 'name' | 'isDefault'>): string =>
  `${origin}/api/sfwa/auth${profile.isDefault ? '' : `/${encodeURIComponent(profile.name)}`}`;

/**
 * Refuses assisted login settings that name a profile that does not exist, list one twice, or do not
 * fit the assisted login profile's kind (the rule: endpointAssistedLoginProblems). Only what is named is looked up.
 */
async function checkAssistedLogin(db: Database, settings: EndpointAssistedLogin): Promise<void> {
  const [assisted, ldap, entra] = await Promise.all([
    settings.profile === null ? null : findAssistedLoginProfile(db, settings.profile),
    settings.ldapProfiles.length ? listLdapProfiles(db) : [],
    settings.entraProfiles.length ? listEntraProfiles(db) : [],
  ]);
  const problems = endpointAssistedLoginProblems(settings, {
    profileKind: assisted?.kind ?? null,
    ldapProfiles: new Set(ldap.map((profile) => profile.name)),
    entraProfiles: new Set(entra.map((profile) => profile.name)),
  });
  if (problems.length) throw apiError('BAD_REQUEST', { errors: problems });
}

/** A profile's settings as the audit log compares them (no row id, no timestamps). */
const auditedSettings = ({ id: _id, isDefault: _isDefault, callbackSecretCreatedAt: _secretCreatedAt, ...settings }: Profile) => settings;

export async function createProfile(db: Database, { name, ...settings }: ProfileCreate, actor: AuditActor): Promise<Profile> {
  await checkAssistedLogin(db, settings.assistedLogin);
  const profile = await insertProfile(db, name, settings).catch(rethrowConflict('name'));
  forgetCachedProfiles();
  await recordAudit(db, actor, 'profile.create', profile.name, createdWith(changesBetween(profileSettingsSchema.parse({}), auditedSettings(profile))));
  return profile;
}

/** Applies a patch to the named profile; nothing is saved unless the merged profile is valid as a whole. */
export async function editProfile(db: Database, name: string, patch: ProfilePatch, actor: AuditActor): Promise<Profile> {
  const profile = await findProfileOr404(db, name);
  // The default profile is the one every deployment has (seeded by name); it keeps that name.
  if (profile.isDefault && patch.name !== undefined && patch.name !== profile.name) {
    throw apiError('BAD_REQUEST', { errors: [{ field: 'name', message: 'the default profile cannot be renamed' }] });
  }
  const merged = applyProfilePatch(profile, patch);
  // Checked again as a whole: a patch may be valid alone yet break a rule across fields (perMinute > perHour).
  const settings = parseInput(profileSettingsSchema, merged);
  await checkAssistedLogin(db, settings.assistedLogin);
  const saved = await updateProfile(db, { ...merged, ...settings }).catch(rethrowConflict('name'));
  forgetCachedProfiles();
  const changes = changesBetween(auditedSettings(profile), auditedSettings(saved));
  if (Object.keys(changes).length > 0) await recordAudit(db, actor, 'profile.update', profile.name, changes);
  return saved;
}

/** Deletes a named profile and, by cascade, its API tokens. The default profile stays. */
export async function removeProfile(db: Database, name: string, actor: AuditActor): Promise<void> {
  const profile = await findProfileOr404(db, name);
  if (profile.isDefault) throw apiError('BAD_REQUEST', { message: 'the default profile cannot be deleted' });
  if (!(await deleteProfile(db, profile.id))) throw apiError('NOT_FOUND', { message: `No profile named "${profile.name}"` });
  forgetCachedProfiles();
  await recordAudit(db, actor, 'profile.delete', profile.name);
}

/** Makes the profile a new callback secret, replacing any it had at once; the secret is returned this once. */
export async function createCallbackSecret(env: Pick<Env, 'PHONE_HASH_SECRET'>, db: Database, name: string, actor: AuditActor): Promise<{ secret: string; createdAt: Date }> {
  const profile = await findProfileOr404(db, name);
  const { secret, sealed } = await newCallbackSecret(env);
  const createdAt = new Date();
  await setCallbackSecret(db, profile.id, sealed, createdAt);
  forgetCachedProfiles();
  await recordAudit(db, actor, 'profile.callback-secret-create', profile.name, profile.callbackSecretCreatedAt ? { secret: { from: 'set', to: 'replaced' } } : undefined);
  return { secret, createdAt };
}

/** Removes the profile's callback secret: callbacks stop until a new one is made. */
export async function removeCallbackSecret(db: Database, name: string, actor: AuditActor): Promise<void> {
  const profile = await findProfileOr404(db, name);
  if (!profile.callbackSecretCreatedAt) return;
  await setCallbackSecret(db, profile.id, null, new Date());
  forgetCachedProfiles();
  await recordAudit(db, actor, 'profile.callback-secret-delete', profile.name);
}
