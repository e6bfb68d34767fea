/**
 * The administrator audit log: one entry per change made in the console or the admin API, and per
 * sign-in or refused sign-in. Who, from where, what, to which target, and what changed, never a secret
 * (a password change says "changed", a token's value is never in it). Pure: schemas, the shape of an
 * entry as shown, and the diff of two settings.
 */
import * as z from './zod';
import { AUDIT_LOG_PAGE_SIZE_DEFAULT, AUDIT_LOG_PAGE_SIZE_MAX, USERNAME_MAX_LENGTH } from './constants';
import { logQuerySchemas } from './page';

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in.refused',
  'sign-out',
  'profile.create',
  'profile.update',
  'profile.delete',
  'profile.callback-secret-create',
  'profile.callback-secret-delete',
  'token.create',
  'token.import',
  'token.delete',
  'user.create',
  'user.update',
  'device.activation-sent',
  'device.activated',
  'device.deactivated',
  'directory-user.create',
  'directory-user.update',
  'directory-user.delete',
  'directory-user.import',
  'ldap-profile.create',
  'ldap-profile.update',
  'ldap-profile.delete',
  'entra-profile.create',
  'entra-profile.update',
  'entra-profile.delete',
  'assisted-login-profile.create',
  'assisted-login-profile.update',
  'assisted-login-profile.delete',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'sign-in': 'Signed in',
  'sign-in.refused': 'Sign-in refused',
  'sign-out': 'Signed out',
  'profile.create': 'Profile created',
  'profile.update': 'Profile changed',
  'profile.delete': 'Profile deleted',
  'profile.callback-secret-create': 'Callback secret created',
  'profile.callback-secret-delete': 'Callback secret deleted',
  'token.create': 'API token created',
  'token.import': 'API token imported',
  'token.delete': 'API token deleted',
  'user.create': 'Account created',
  'user.update': 'Account changed',
  'device.activation-sent': 'Activation link sent',
  'device.activated': 'Device activated',
  'device.deactivated': 'Device deactivated',
  'directory-user.create': 'Local user created',
  'directory-user.update': 'Local user changed',
  'directory-user.delete': 'Local user deleted',
  'directory-user.import': 'Local users imported',
  'ldap-profile.create': 'LDAP profile created',
  'ldap-profile.update': 'LDAP profile changed',
  'ldap-profile.delete': 'LDAP profile deleted',
  'entra-profile.create': 'Entra ID profile created',
  'entra-profile.update': 'Entra ID profile changed',
  'entra-profile.delete': 'Entra ID profile deleted',
  'assisted-login-profile.create': 'Assisted login profile created',
  'assisted-login-profile.update': 'Assisted login profile changed',
  'assisted-login-profile.delete': 'Assisted login profile deleted',
};

/** What changed: a field's value before and after (a created thing has only `to`), or a plain fact such as a refusal's reason. */
export type AuditChanges = Record<string, { from?: unknown; to?: unknown } | string>;

/** Who did it: a console account (or the username a refused sign-in typed), and the client address. */
export interface AuditActor {
  username: string;
  address: string | null;
}

export interface AuditEntry {
  atMs: number;
  actor: string;
  address: string | null;
  action: AuditAction;
  target: string;
  changes: AuditChanges | null;
}

/** Leaves of a settings object by dotted path ("rateLimit.perMinute"); arrays are one leaf. */
function leaves(value: unknown, path = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    for (const [key, inner] of Object.entries(value)) for (const [leaf, leafValue] of leaves(inner, path ? `${path}.${key}` : key)) found.set(leaf, leafValue);
  } else if (path) found.set(path, value);
  return found;
}

/** The fields whose values differ between `before` and `after`, as `{from, to}`. */
export function changesBetween(before: object, after: object): AuditChanges {
  const was = leaves(before);
  const is = leaves(after);
  const changes: AuditChanges = {};
  for (const path of new Set([...was.keys(), ...is.keys()])) {
    if (JSON.stringify(was.get(path)) !== JSON.stringify(is.get(path))) changes[path] = { from: was.get(path) ?? null, to: is.get(path) ?? null };
  }
  return changes;
}

/** "rateLimit.perMinute: 3 → 5; name: shop → web-shop", for the console and the CSV. */
export function describeChanges(changes: AuditChanges | null): string {
  if (!changes) return '';
  const shown = (value: unknown) => (value === null || value === undefined ? '–' : typeof value === 'string' ? value : JSON.stringify(value));
  return Object.entries(changes)
    .map(([field, change]) => {
      if (typeof change === 'string') return `${field}: ${change}`;
      return 'from' in change ? `${field}: ${shown(change.from)} → ${shown(change.to)}` : `${field}: ${shown(change.to)}`;
    })
    .join('; ');
}

export const auditEntryView = (entry: AuditEntry) => ({
  at: new Date(entry.atMs).toISOString(),
  actor: entry.actor,
  address: entry.address ?? '',
  action: entry.action,
  target: entry.target,
  changes: entry.changes ?? {},
  summary: describeChanges(entry.changes),
});
export type AuditEntryView = ReturnType<typeof auditEntryView>;
export const AUDIT_LOG_COLUMNS = ['at', 'actor', 'address', 'action', 'target', 'summary'] as const satisfies readonly (keyof AuditEntryView)[];

const auditQueries = logQuerySchemas(
  {
    actor: z.optional(z.string().check(z.maxLength(USERNAME_MAX_LENGTH, `must be at most ${USERNAME_MAX_LENGTH} characters`))),
    action: z.optional(z.enum(AUDIT_ACTIONS, { error: `must be one of ${AUDIT_ACTIONS.join(', ')}` })),
  },
  { default: AUDIT_LOG_PAGE_SIZE_DEFAULT, max: AUDIT_LOG_PAGE_SIZE_MAX },
);

/** The audit log's filters (`from` inclusive, `to` exclusive); blank fields are absent. */
export const auditFilterSchema = auditQueries.filter;
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditListQuerySchema = auditQueries.list;
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;
