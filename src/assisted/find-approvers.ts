/**
 * Assisted login's lookups: the user the calling application named, found in the endpoint's
 * repositories in order, and the approvers the assisted login profile allows for them: the one the user
 * named, or every allowed one (at most 10). Refusals are the API's own errors, raised before anything is sent.
 */
import { apiError, type ApiError } from '../domain/api-error';
import {
  approverGroupsFor,
  approverIdOf,
  approverRule,
  MAX_APPROVERS_ASKED,
  notificationNameOf,
  servesUser,
  type AssistedLoginProfile,
} from '../domain/assisted-login';
import { parseMsisdn } from '../domain/msisdn';
import type { Profile } from '../domain/profile';
import { DirectoryUnavailableError, type Directory, type DirectoryPerson } from '../directory/directory';
import { localDirectory } from '../directory/local';
import { cachedDirectory, openEntraDirectory, openLdapDirectory } from '../directory/repositories';
import type { Env } from '../env';
import type { Database } from '../store/db';
import { findAssistedLoginProfile, findEntraProfile, findLdapProfile } from '../store/directory';
import { logEvent } from '../observability/log';

export interface Approver {
  /** How the answer and the log name them (their first approver id attribute with a value). */
  id: string;
  msisdn: string;
}

export interface AssistedLookup {
  profile: AssistedLoginProfile;
  user: { id: string; name: string };
  approvers: Approver[];
}

/** A repository failure as the API answers it: 503 at once, the reason in the log, never a hang or a false TIMEOUT. */
export function directoryUnavailable(error: DirectoryUnavailableError, endpoint: string): ApiError {
  logEvent('error', 'assisted.directory_unavailable', { profile: endpoint, repository: error.repository, error: error.message });
  return apiError('DIRECTORY_UNAVAILABLE', {
    message: `The user directory "${error.repository}" could not be asked; try again later`,
    ...(error.retryAfterSeconds !== null && { headers: { 'retry-after': String(error.retryAfterSeconds) } }),
  });
}

/** The endpoint's repositories in order: the local database and LDAP for a normal profile, Entra ID for a federation one. */
async function openRepositories(env: Env, db: Database, endpoint: Profile, profile: AssistedLoginProfile, nowMs: number): Promise<Directory[]> {
  const attributes = [...profile.approverIdAttributes, profile.notificationAttribute];
  const settings = endpoint.assistedLogin;
  // The profiles are read side by side: an assisted request waits for these before its first lookup.
  if (profile.kind === 'federation') {
    return Promise.all(
      settings.entraProfiles.map(async (name) => {
        const stored = await findEntraProfile(db, name);
        if (!stored) throw new DirectoryUnavailableError(`entra:${name}`, 'the Entra ID profile no longer exists');
        return cachedDirectory(await openEntraDirectory(env, stored), `entra:${stored.id}`, nowMs);
      }),
    );
  }
  const ldap = await Promise.all(
    settings.ldapProfiles.map(async (name) => {
      const stored = await findLdapProfile(db, name);
      if (!stored) throw new DirectoryUnavailableError(`ldap:${name}`, 'the LDAP profile no longer exists');
      return cachedDirectory(await openLdapDirectory(env, stored, attributes), `ldap:${stored.id}:${attributes.join(',')}`, nowMs);
    }),
  );
  return settings.useLocalDatabase ? [cachedDirectory(localDirectory(env, db), 'local', nowMs), ...ldap] : ldap;
}

/** The first repository's answer that is not null, asking them in order. */
async function firstFound<T>(directories: Directory[], ask: (directory: Directory) => Promise<T | null>): Promise<T | null> {
  for (const directory of directories) {
    const found = await ask(directory);
    if (found) return found;
  }
  return null;
}

const directoryOf = (directories: Directory[], person: DirectoryPerson) => directories.find((directory) => directory.name === person.repository);

/** Every approver the rule allows for this user: approver groups' members, the listed identities, the manager. */
async function allowedApprovers(directories: Directory[], profile: AssistedLoginProfile, user: DirectoryPerson): Promise<DirectoryPerson[]> {
  const found: DirectoryPerson[] = [];
  const add = (people: Array<DirectoryPerson | null>) => {
    for (const person of people) {
      if (!person || found.length >= MAX_APPROVERS_ASKED) continue;
      if (found.some((known) => known.repository === person.repository && known.ref === person.ref)) continue;
      if (person.repository === user.repository && person.ref === user.ref) continue; // nobody approves their own sign-in
      found.push(person);
    }
  };
  for (const group of approverGroupsFor(profile, user)) {
    for (const directory of directories) add(await directory.membersOf(group, MAX_APPROVERS_ASKED + 1));
  }
  for (const identity of profile.approverIdentities) add([await firstFound(directories, (directory) => directory.findByAttributes(identity, profile.approverIdAttributes))]);
  if (profile.managerApproves && user.managerRef) add([(await directoryOf(directories, user)?.findByRef(user.managerRef)) ?? null]);
  return found;
}

const phoneOf = (person: DirectoryPerson): string | null => {
  const parsed = person.phone ? parseMsisdn(person.phone) : null;
  return parsed?.ok ? parsed.e164 : null;
};

/**
 * The user and the approvers to ask, or the refusal: user not found (400 on username/msisdn), the named
 * approver not allowed (400 on approver), no allowed approver with a phone (400), a repository failing (503).
 */
export async function findApprovers(
  env: Env,
  db: Database,
  endpoint: Profile,
  request: { username?: string; msisdn?: string; approver?: string },
  nowMs: number,
): Promise<AssistedLookup> {
  const profileName = endpoint.assistedLogin.profile!;
  const profile = await findAssistedLoginProfile(db, profileName);
  if (!profile) throw apiError('INTERNAL_ERROR', { message: `The endpoint's assisted login profile "${profileName}" does not exist` });
  let directories: Directory[] = [];
  try {
    directories = await openRepositories(env, db, endpoint, profile, nowMs);
    const userField = request.username !== undefined ? 'username' : 'msisdn';
    const user = await firstFound(directories, (directory) => (request.username !== undefined ? directory.findUser(request.username) : directory.findByPhone(request.msisdn!)));
    if (!user) throw apiError('BAD_REQUEST', { errors: [{ field: userField, message: 'no such user in the endpoint\'s user repositories' }] });
    if (!servesUser(profile, user)) throw apiError('BAD_REQUEST', { errors: [{ field: userField, message: `is not served by the assisted login profile "${profile.name}" (not in its user groups)` }] });
    const userId = request.username ?? approverIdOf(profile, user);
    const who = { id: userId, name: notificationNameOf(profile, user, userId) };

    if (request.approver !== undefined) {
      const named = await firstFound(directories, (directory) => directory.findByAttributes(request.approver!, profile.approverIdAttributes));
      if (!named) throw apiError('BAD_REQUEST', { errors: [{ field: 'approver', message: 'no approver with this id in the endpoint\'s user repositories' }] });
      if (!approverRule(profile, user, named)) throw apiError('BAD_REQUEST', { errors: [{ field: 'approver', message: 'may not approve this user\'s sign-in' }] });
      const msisdn = phoneOf(named);
      if (!msisdn) throw apiError('BAD_REQUEST', { errors: [{ field: 'approver', message: 'has no mobile number in the directory, so cannot be asked' }] });
      return { profile, user: who, approvers: [{ id: approverIdOf(profile, named), msisdn }] };
    }

    const approvers = (await allowedApprovers(directories, profile, user))
      .map((person) => ({ id: approverIdOf(profile, person), msisdn: phoneOf(person) }))
      .filter((approver): approver is Approver => approver.msisdn !== null);
    if (!approvers.length) {
      throw apiError('BAD_REQUEST', { errors: [{ field: 'approver', message: 'no approver this user may ask has a mobile number in the directory, so nobody can be asked' }] });
    }
    return { profile, user: who, approvers };
  } catch (error) {
    if (error instanceof DirectoryUnavailableError) throw directoryUnavailable(error, endpoint.name);
    throw error;
  } finally {
    for (const directory of directories) void directory.close().catch(() => undefined);
  }
}
