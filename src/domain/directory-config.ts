/**
 * What an administrator configures for assisted login's user repositories: the local user database's
 * people, LDAP profiles and Entra ID profiles. zod schemas validate admin input and define the types.
 * Secrets (bind password, client secret) are write-only: accepted here, stored encrypted, never returned.
 */
import * as z from 'zod';
import { msisdnSchema } from './msisdn';
import { patchOf } from './patch';

const text = (max: number) => z.string({ error: 'is required' }).max(max, `must be at most ${max} characters`);
const required = (max: number) => text(max).trim().min(1, 'is required');
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

/** Names of repositories and assisted login profiles: shown in lists and chosen on endpoints. */
export const configNameSchema = required(255).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'may contain only letters, digits, spaces, ".", "_" and "-", and must start with a letter or digit');

/** An id a person is known by (a username, an approver id): any text but control characters, which no directory holds. */
export const personIdSchema = required(255).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

const groupNameSchema = required(255).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');
const groupList = z.array(groupNameSchema).max(50, 'must list at most 50 groups');

// ---- Local user database ----

export const directoryUserSchema = z
  .object({
    username: personIdSchema,
    displayName: text(255).trim().default(''),
    /** International format; null: the person has no phone (and so cannot be asked to approve). */
    phone: msisdnSchema.nullable().default(null),
    email: text(255).trim().default(''),
    groups: groupList.default([]),
    /** The manager's username in the same database. */
    manager: personIdSchema.nullable().default(null),
  })
  .strict();
export type DirectoryUserInput = z.infer<typeof directoryUserSchema>;
export const directoryUserPatchSchema = patchOf(directoryUserSchema).strict();

// ---- LDAP profiles ----

const attributeName = (fallback: string) =>
  required(100)
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must be an LDAP attribute name (letters, digits and "-")')
    .default(fallback);

const ldapUrlSchema = required(500).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'ldaps:' || url.protocol === 'ldap:') && url.hostname !== '' && url.pathname.replace('/', '') === '' && !url.search;
  } catch {
    return false;
  }
}, 'must be ldaps://host[:port] (TLS) or ldap://host[:port] (StartTLS), without a path');

export const ldapProfileSchema = z
  .object({
    name: configNameSchema,
    url: ldapUrlSchema,
    /** ldap:// only: upgrade with StartTLS before binding (on by default; off sends the password in the clear). */
    startTls: z.boolean().default(true),
    bindDn: required(500),
    bindPassword: text(500).min(1, 'is required'),
    baseDn: required(500),
    userFilter: required(1000)
      .refine((filter) => filter.includes('{id}'), 'must contain {id}, where the user id goes, e.g. (&(objectClass=person)(uid={id}))')
      .refine((filter) => filter.startsWith('(') && filter.endsWith(')'), 'must be an LDAP filter in parentheses, e.g. (uid={id})'),
    phoneAttribute: attributeName('mobile'),
    displayNameAttribute: attributeName('displayName'),
    groupAttribute: attributeName('memberOf'),
    managerAttribute: attributeName('manager'),
    timeoutSeconds: z.int('must be a whole number of seconds').min(1, 'must be at least 1').max(30, 'must be at most 30').default(5),
  })
  .strict();
export type LdapProfileInput = z.infer<typeof ldapProfileSchema>;
export type LdapProfile = Omit<LdapProfileInput, 'bindPassword'>;

// ---- Entra ID profiles ----

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const entraProfileSchema = z
  .object({
    name: configNameSchema,
    tenantId: required(255).refine(
      (value) => GUID.test(value) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value),
      'must be the directory (tenant) id, a GUID, or its domain, e.g. contoso.onmicrosoft.com',
    ),
    clientId: required(36).regex(GUID, 'must be the application (client) id, a GUID'),
    clientSecret: text(500).min(1, 'is required'),
  })
  .strict();
export type EntraProfileInput = z.infer<typeof entraProfileSchema>;
export type EntraProfile = Omit<EntraProfileInput, 'clientSecret'>;

/** PATCH of a repository profile: any subset; a secret left out keeps the stored one. */
export const ldapProfilePatchSchema = patchOf(ldapProfileSchema).strict();
export const entraProfilePatchSchema = patchOf(entraProfileSchema).strict();

/** The Test button's input: the id to look up. */
export const directoryTestSchema = z.object({ id: personIdSchema }).strict();
