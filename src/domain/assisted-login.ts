/**
 * Assisted login: an approver approves another person's sign-in. An assisted login profile says who
 * may approve whom; the rules here are pure (people in, yes or no out), so they are tested without a
 * directory. Finding the people is src/directory's work.
 */
import * as z from './zod';
import type { DirectoryGroup, DirectoryPerson } from '../directory/directory';
import type { FieldError } from './auth-request';
import { configNameSchema, NO_CONTROL_CHARACTERS, personIdSchema } from './directory-config';
import { patchOf } from './patch';

export const ASSISTED_LOGIN_KINDS = ['normal', 'federation'] as const;
export type AssistedLoginKind = (typeof ASSISTED_LOGIN_KINDS)[number];
/** The most approvers asked at once when the user names none; the first answer wins. */
export const MAX_APPROVERS_ASKED = 10;
export const DEFAULT_APPROVER_ID_ATTRIBUTES = ['sAMAccountName', 'uid', 'mail', 'mobile'];

const groupPattern = z
  .string()
  .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(255, 'must be at most 255 characters'), z.regex(NO_CONTROL_CHARACTERS, 'must not contain control characters'));
const groups = z._default(z.array(groupPattern).check(z.maxLength(50, 'must list at most 50 groups')), []);
const attributeName = z.string().check(z.trim(), z.regex(/^[A-Za-z][A-Za-z0-9-]{0,99}$/, 'must be an attribute name (letters, digits and "-", at most 100)'));

const assistedLoginProfileFields = z.strictObject({
  name: configNameSchema,
  /** normal: groups and manager from LDAP and the local database; federation: from Entra ID (Microsoft Graph). */
  kind: z._default(z.enum(ASSISTED_LOGIN_KINDS, { error: 'must be "normal" (LDAP and the local database) or "federation" (Entra ID)' }), 'normal'),
  /** The attribute whose value names the user to the approver ({user} in the texts). */
  notificationAttribute: z._default(attributeName, 'displayName'),
  sessionTimeoutSeconds: z._default(z.int('must be a whole number of seconds').check(z.minimum(15, 'must be at least 15'), z.maximum(300, 'must be at most 300')), 120),
  /** Which attributes identify an approver when the user names one. */
  approverIdAttributes: z._default(
    z.array(attributeName).check(z.minLength(1, 'must list at least one attribute'), z.maxLength(10, 'must list at most 10 attributes')),
    DEFAULT_APPROVER_ID_ATTRIBUTES,
  ),
  approverGroups: groups,
  approverIdentities: z._default(z.array(personIdSchema).check(z.maxLength(50, 'must list at most 50 approvers')), []),
  managerApproves: z._default(z.boolean(), false),
  /** Team groups: with it on, one "*" in a user group and an approver group stands for the same part of the CN. */
  groupsMatchingPartInCn: z._default(z.boolean(), false),
  /** The users this profile serves: members of these groups; empty serves anyone found in the repositories. */
  userGroups: groups,
});

type Fields = z.infer<typeof assistedLoginProfileFields>;

/** The rules that hold between fields; checked again on a patch, after merging it into the stored profile. */
export function assistedLoginRuleProblems(profile: Fields): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (!profile.approverGroups.length && !profile.approverIdentities.length && !profile.managerApproves) {
    problems.push({ path: 'approverGroups', message: 'name at least one way to find approvers: approver groups, approver identities or the user\'s manager' });
  }
  for (const key of ['approverGroups', 'userGroups'] as const) {
    profile[key].forEach((group, index) => {
      const stars = group.split('*').length - 1;
      if (stars && !profile.groupsMatchingPartInCn) problems.push({ path: `${key}.${index}`, message: 'contains "*", which stands for a team only with "Groups matching part in CN" on' });
      if (stars > 1) problems.push({ path: `${key}.${index}`, message: 'may contain at most one "*"' });
    });
  }
  if (profile.groupsMatchingPartInCn) {
    if (!profile.userGroups.some((group) => group.includes('*'))) problems.push({ path: 'userGroups', message: 'needs a group with "*" for the team part, e.g. team-*-users' });
    if (!profile.approverGroups.some((group) => group.includes('*'))) problems.push({ path: 'approverGroups', message: 'needs a group with "*" for the team part, e.g. team-*-approvers' });
  }
  return problems;
}

export const assistedLoginProfileSchema = assistedLoginProfileFields.check(
  z.superRefine((profile, context) => {
    for (const { path, message } of assistedLoginRuleProblems(profile)) context.addIssue({ code: 'custom', path: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)), message });
  }),
);
export type AssistedLoginProfileInput = z.infer<typeof assistedLoginProfileSchema>;
export interface AssistedLoginProfile extends AssistedLoginProfileInput {
  id: number;
}
export const assistedLoginProfilePatchSchema = patchOf(assistedLoginProfileFields, { strict: true });
export type AssistedLoginProfilePatch = z.infer<typeof assistedLoginProfilePatchSchema>;

/** An endpoint profile's assisted login settings: the assisted login profile it uses and the user repositories to search. */
export interface EndpointAssistedLogin {
  profile: string | null;
  useLocalDatabase: boolean;
  ldapProfiles: string[];
  entraProfiles: string[];
}

/** What the settings' names were found to be when the endpoint is saved (looked up by the caller). */
export interface EndpointAssistedLoginFound {
  /** The kind of the assisted login profile named in `profile`; null when no profile of that name exists (or none is named). */
  profileKind: AssistedLoginKind | null;
  ldapProfiles: ReadonlySet<string>;
  entraProfiles: ReadonlySet<string>;
}

/** `the LDAP profile "a"`, `the LDAP profiles "a", "b"` */
const naming = (what: string, names: string[]) => `the ${what}${names.length > 1 ? 's' : ''} ${names.map((name) => `"${name}"`).join(', ')}`;

/** Each name must exist, once: a problem per bad entry, at its index (the console shows it as that line). */
function listProblems(field: string, what: string, names: string[], existing: ReadonlySet<string>): FieldError[] {
  const seen = new Set<string>();
  return names.flatMap((name, index) => {
    const problem = seen.has(name) ? `lists the ${what} "${name}" more than once` : !existing.has(name) ? `no ${what} named "${name}"` : null;
    seen.add(name);
    return problem ? [{ field: `${field}.${index}`, message: problem }] : [];
  });
}

/**
 * The rules an endpoint's assisted login settings follow when saved: every named profile exists and is
 * listed once; with an assisted login profile chosen, the repositories fit its kind (normal: the local
 * database and LDAP; federation: Entra ID only) and at least one is selected. Without one the repositories
 * are kept as they are (they are not used), so an administrator may prepare them before choosing a profile.
 */
export function endpointAssistedLoginProblems(settings: EndpointAssistedLogin, found: EndpointAssistedLoginFound): FieldError[] {
  const problems: FieldError[] = [];
  if (settings.profile !== null && found.profileKind === null) problems.push({ field: 'assistedLogin.profile', message: `no assisted login profile named "${settings.profile}"` });
  problems.push(...listProblems('assistedLogin.ldapProfiles', 'LDAP profile', settings.ldapProfiles, found.ldapProfiles));
  problems.push(...listProblems('assistedLogin.entraProfiles', 'Entra ID profile', settings.entraProfiles, found.entraProfiles));
  if (settings.profile === null || found.profileKind === null) return problems;

  const rule = `the assisted login profile "${settings.profile}" (kind ${found.profileKind})`;
  if (found.profileKind === 'normal') {
    if (settings.entraProfiles.length) {
      problems.push({ field: 'assistedLogin.entraProfiles', message: `${rule} finds users in the local database and LDAP only: remove ${naming('Entra ID profile', settings.entraProfiles)}` });
    }
    if (!settings.useLocalDatabase && !settings.ldapProfiles.length) {
      problems.push({ field: 'assistedLogin.useLocalDatabase', message: `Choose at least one user repository for the assisted login profile "${settings.profile}": the local database or an LDAP profile` });
    }
  } else {
    if (settings.useLocalDatabase) problems.push({ field: 'assistedLogin.useLocalDatabase', message: `${rule} finds users in Entra ID only: turn off the local database` });
    if (settings.ldapProfiles.length) {
      problems.push({ field: 'assistedLogin.ldapProfiles', message: `${rule} finds users in Entra ID only: remove ${naming('LDAP profile', settings.ldapProfiles)}` });
    }
    if (!settings.entraProfiles.length) {
      problems.push({ field: 'assistedLogin.entraProfiles', message: `Choose at least one user repository for the assisted login profile "${settings.profile}": an Entra ID profile` });
    }
  }
  return problems;
}

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/** A configured group names a group by its name (CN) or its full reference (DN, object id). */
const groupIs = (group: DirectoryGroup, configured: string) => same(group.name, configured) || same(group.ref, configured);

/** "team-*-users" against "team-red-users" -> "red"; null when it does not match. */
function teamPart(pattern: string, name: string): string | null {
  const [before = '', after = ''] = pattern.split('*');
  const lower = name.toLowerCase();
  if (name.length <= before.length + after.length || !lower.startsWith(before.toLowerCase()) || !lower.endsWith(after.toLowerCase())) return null;
  return name.slice(before.length, name.length - after.length);
}

/** The teams the user is in: the "*" parts of the user groups they match (with "Groups matching part in CN"). */
function teamsOf(profile: AssistedLoginProfileInput, user: DirectoryPerson): string[] {
  const teams = new Set<string>();
  for (const pattern of profile.userGroups.filter((group) => group.includes('*'))) {
    for (const group of user.groups) {
      const part = teamPart(pattern, group.name);
      if (part !== null) teams.add(part);
    }
  }
  return [...teams];
}

/** Whether the profile serves this user: in one of its user groups (a team group counts), or any user when it lists none. */
export function servesUser(profile: AssistedLoginProfileInput, user: DirectoryPerson): boolean {
  if (!profile.userGroups.length) return true;
  return profile.userGroups.some((configured) =>
    configured.includes('*') ? user.groups.some((group) => teamPart(configured, group.name) !== null) : user.groups.some((group) => groupIs(group, configured)),
  );
}

/** The approver groups for this user: plain ones as they are, team ones with the user's team part filled in. */
export function approverGroupsFor(profile: AssistedLoginProfileInput, user: DirectoryPerson): string[] {
  const teams = teamsOf(profile, user);
  return profile.approverGroups.flatMap((group) => (group.includes('*') ? teams.map((team) => group.replace('*', team)) : [group]));
}

const isSamePerson = (a: DirectoryPerson, b: DirectoryPerson) => a.repository === b.repository && same(a.ref, b.ref);

/** Which rule lets `candidate` approve `user`, or null: nobody approves their own sign-in. */
export function approverRule(profile: AssistedLoginProfileInput, user: DirectoryPerson, candidate: DirectoryPerson): 'group' | 'identity' | 'manager' | null {
  if (isSamePerson(user, candidate)) return null;
  const groupsForUser = approverGroupsFor(profile, user);
  if (candidate.groups.some((group) => groupsForUser.some((configured) => groupIs(group, configured)))) return 'group';
  const ids = idValues(profile, candidate);
  if (profile.approverIdentities.some((identity) => ids.some((id) => same(id, identity)))) return 'identity';
  if (profile.managerApproves && user.managerRef !== null && user.repository === candidate.repository && same(user.managerRef, candidate.ref)) return 'manager';
  return null;
}

function idValues(profile: AssistedLoginProfileInput, person: DirectoryPerson): string[] {
  return profile.approverIdAttributes.flatMap((attribute) => person.attributes[attribute.toLowerCase()] ?? []);
}

/** How the answer names the approver: their first approver id attribute that has a value (e.g. sAMAccountName or uid). */
export const approverIdOf = (profile: AssistedLoginProfileInput, person: DirectoryPerson): string => idValues(profile, person)[0] ?? person.ref;

/** The user as the approver reads it ({user}): the notification attribute, else the display name, else the id. */
export function notificationNameOf(profile: AssistedLoginProfileInput, person: DirectoryPerson, fallbackId: string): string {
  return person.attributes[profile.notificationAttribute.toLowerCase()]?.[0] || person.displayName || fallbackId;
}

/** Fills {user} and {endpoint} in a text (the approver's texts: profile messages and request overrides alike). */
export const fillPlaceholders = (text: string, values: { user: string; endpoint: string }): string =>
  text.replaceAll('{user}', values.user).replaceAll('{endpoint}', values.endpoint);
