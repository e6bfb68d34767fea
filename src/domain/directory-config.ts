/**
 * What an administrator configures for assisted login's user repositories: the local user database's
 * people, LDAP profiles and Entra ID profiles. zod schemas validate admin input and define the types.
 * Secrets (bind password, client secret) are write-only: accepted here, stored encrypted, never returned.
 */
import * as z from './zod';
import { msisdnSchema } from './msisdn';
import { patchOf } from './patch';

const text = (max: number) => z.string({ error: 'is required' }).check(z.maxLength(max, `must be at most ${max} characters`));
const trimmed = (max: number) => text(max).check(z.trim());
const required = (max: number) => trimmed(max).check(z.minLength(1, 'is required'));
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

/** Names of repositories and assisted login profiles: shown in lists and chosen on endpoints. */
export const configNameSchema = required(255).check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'may contain only letters, digits, spaces, ".", "_" and "-", and must start with a letter or digit'),
);

/** An id a person is known by (a username, an approver id): any text but control characters, which no directory holds. */
export const personIdSchema = required(255).check(z.regex(NO_CONTROL_CHARACTERS, 'must not contain control characters'));

const groupList = z.array(personIdSchema).check(z.maxLength(50, 'must list at most 50 groups'));

// ---- Local user database ----

export const directoryUserSchema = z.strictObject({
  username: personIdSchema,
  displayName: z._default(trimmed(255), ''),
  /** International format; null: the person has no phone (and so cannot be asked to approve). */
  phone: z._default(z.nullable(msisdnSchema), null),
  email: z._default(trimmed(255), ''),
  groups: z._default(groupList, []),
  /** The manager's username in the same database. */
  manager: z._default(z.nullable(personIdSchema), null),
});
export type DirectoryUserInput = z.infer<typeof directoryUserSchema>;
export const directoryUserPatchSchema = patchOf(directoryUserSchema, { strict: true });

// ---- LDAP profiles ----

const attributeName = (fallback: string) =>
  z._default(required(100).check(z.regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must be an LDAP attribute name (letters, digits and "-")')), fallback);

const ldapUrlSchema = required(500).check(
  z.refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'ldaps:' || url.protocol === 'ldap:') && url.hostname !== '' && url.pathname.replace('/', '') === '' && !url.search;
    } catch {
      return false;
    }
  }, 'must be ldaps://host[:port] (TLS) or ldap://host[:port] (StartTLS), without a path'),
);

export const ldapProfileSchema = z.strictObject({
  name: configNameSchema,
  url: ldapUrlSchema,
  /** ldap:// only: upgrade with StartTLS before binding (on by default; off sends the password in the clear). */
  startTls: z._default(z.boolean(), true),
  bindDn: required(500),
  bindPassword: text(500).check(z.minLength(1, 'is required')),
  baseDn: required(500),
  userFilter: required(1000).check(
    z.refine((filter) => filter.includes('{id}'), 'must contain {id}, where the user id goes, e.g. (&(objectClass=person)(uid={id}))'),
    z.refine((filter) => filter.startsWith('(') && filter.endsWith(')'), 'must be an LDAP filter in parentheses, e.g. (uid={id})'),
  ),
  phoneAttribute: attributeName('mobile'),
  displayNameAttribute: attributeName('displayName'),
  groupAttribute: attributeName('memberOf'),
  managerAttribute: attributeName('manager'),
  timeoutSeconds: z._default(z.int('must be a whole number of seconds').check(z.minimum(1, 'must be at least 1'), z.maximum(30, 'must be at most 30')), 5),
});
export type LdapProfileInput = z.infer<typeof ldapProfileSchema>;
export type LdapProfile = Omit<LdapProfileInput, 'bindPassword'>;

// ---- Entra ID profiles ----

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const entraProfileSchema = z.strictObject({
  name: configNameSchema,
  tenantId: required(255).check(
    z.refine(
      (value) => GUID.test(value) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value),
      'must be the directory (tenant) id, a GUID, or its domain, e.g. contoso.onmicrosoft.com',
    ),
  ),
  clientId: required(36).check(z.regex(GUID, 'must be the application (client) id, a GUID')),
  clientSecret: text(500).check(z.minLength(1, 'is required')),
});
export type EntraProfileInput = z.infer<typeof entraProfileSchema>;
export type EntraProfile = Omit<EntraProfileInput, 'clientSecret'>;

/** PATCH of a repository profile: any subset; a secret left out keeps the stored one. */
export const ldapProfilePatchSchema = patchOf(ldapProfileSchema, { strict: true });
export const entraProfilePatchSchema = patchOf(entraProfileSchema, { strict: true });

/** The Test button's input: the id to look up. */
export const directoryTestSchema = z.strictObject({ id: personIdSchema });
