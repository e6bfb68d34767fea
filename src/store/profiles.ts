/** Profile queries, with the row <-> domain mapping in one place. */
import { asc, eq } from 'drizzle-orm';
import type { Profile, ProfileSettings } from '../domain/profile';
import type { Database } from './db';
import { profiles } from './schema';
import { IsolateCache } from './isolate-cache';
import { TOKEN_CACHE_TTL_SECONDS } from '../domain/constants';

type ProfileRow = typeof profiles.$inferSelect;

export function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    dialect: row.dialect,
    plusActivationLinks: row.plusActivationLinks,
    usePlusIfActivated: row.usePlusIfActivated,
    assistedLogin: {
      profile: row.assistedLoginProfile,
      useLocalDatabase: row.useLocalDatabase,
      ldapProfiles: row.ldapProfiles,
      entraProfiles: row.entraProfiles,
    },
    touchMessages: row.touchMessages,
    assistedMessages: row.assistedMessages,
    rateLimit: { perMinute: row.rateLimitPerMinute, perHour: row.rateLimitPerHour },
    unexpectedBlockMinutes: row.unexpectedBlockMinutes,
    allowedCountries: row.allowedCountries,
    smsBudget: { perHour: row.smsBudgetPerHour, perDay: row.smsBudgetPerDay },
    callbackHosts: row.callbackHosts,
    smsSender: row.smsSender,
    callbackSecretCreatedAt: row.callbackSecretCreatedAt,
  };
}

function toRow(name: string, settings: ProfileSettings) {
  return {
    name,
    dialect: settings.dialect,
    plusActivationLinks: settings.plusActivationLinks,
    usePlusIfActivated: settings.usePlusIfActivated,
    assistedLoginProfile: settings.assistedLogin.profile,
    useLocalDatabase: settings.assistedLogin.useLocalDatabase,
    ldapProfiles: settings.assistedLogin.ldapProfiles,
    entraProfiles: settings.assistedLogin.entraProfiles,
    touchMessages: settings.touchMessages,
    assistedMessages: settings.assistedMessages,
    rateLimitPerMinute: settings.rateLimit.perMinute,
    rateLimitPerHour: settings.rateLimit.perHour,
    unexpectedBlockMinutes: settings.unexpectedBlockMinutes,
    allowedCountries: settings.allowedCountries,
    smsBudgetPerHour: settings.smsBudget.perHour,
    smsBudgetPerDay: settings.smsBudget.perDay,
    callbackHosts: settings.callbackHosts,
    smsSender: settings.smsSender,
  };
}

export async function listProfiles(db: Database): Promise<Profile[]> {
  const rows = await db.select().from(profiles).orderBy(asc(profiles.name));
  return rows.map(toProfile);
}

/** The profile serving /api/sfwa/auth/{name}; `null` name means the default endpoint /api/sfwa/auth. */
export async function findProfile(db: Database, name: string | null): Promise<Profile | null> {
  const where = name === null ? eq(profiles.isDefault, true) : eq(profiles.name, name);
  const row = await db.select().from(profiles).where(where).get();
  return row ? toProfile(row) : null;
}

export const findProfileById = async (db: Database, id: number): Promise<Profile | null> => (await findCallbackSettings(db, id))?.profile ?? null;

export async function insertProfile(db: Database, name: string, settings: ProfileSettings): Promise<Profile> {
  const row = await db.insert(profiles).values(toRow(name, settings)).returning().get();
  return toProfile(row);
}

export async function updateProfile(db: Database, profile: Profile): Promise<Profile> {
  const row = await db
    .update(profiles)
    .set({ ...toRow(profile.name, profile), updatedAt: new Date() })
    .where(eq(profiles.id, profile.id))
    .returning()
    .get();
  return toProfile(row);
}

/** Stores the profile's sealed callback secret (null removes it). */
export async function setCallbackSecret(db: Database, id: number, sealed: string | null, now: Date): Promise<void> {
  await db
    .update(profiles)
    .set({ callbackSecretSealed: sealed, callbackSecretCreatedAt: sealed === null ? null : now, updatedAt: now })
    .where(eq(profiles.id, id));
}

/** What a session's callback needs at send time: the profile as it is now, and its sealed secret. */
export async function findCallbackSettings(db: Database, id: number): Promise<{ profile: Profile; secretSealed: string | null } | null> {
  const row = await db.select().from(profiles).where(eq(profiles.id, id)).get();
  return row ? { profile: toProfile(row), secretSealed: row.callbackSecretSealed } : null;
}

/** Deletes a non-default profile (its tokens go with it); false when there is no such profile. */
export async function deleteProfile(db: Database, id: number): Promise<boolean> {
  const deleted = await db.delete(profiles).where(eq(profiles.id, id)).returning({ id: profiles.id });
  return deleted.length > 0;
}

// Profiles are read on every API call; a warm isolate serves them from memory for a short while.
const endpointProfiles = new IsolateCache<Profile | null>(TOKEN_CACHE_TTL_SECONDS * 1000);

/** findProfile() through the isolate cache (same TTL as API tokens). */
export const findProfileCached = (db: Database, name: string | null, nowMs: number): Promise<Profile | null> =>
  endpointProfiles.get(name ?? '', nowMs, () => findProfile(db, name));

/** findProfileById() through the same cache: a session's status is read with its profile's keys. */
export const findProfileByIdCached = (db: Database, id: number, nowMs: number): Promise<Profile | null> =>
  endpointProfiles.get(`#${id}`, nowMs, () => findProfileById(db, id));

/** Called after any profile change so this isolate sees it at once. */
export const forgetCachedProfiles = (): void => endpointProfiles.clear();
