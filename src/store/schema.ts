/** D1 tables (drizzle). docs/storage.md describes each one and what is hashed. */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { AUDIT_ACTIONS, type AuditChanges } from '../domain/audit';
import { AUTH_CHANNELS, AUTH_LOG_OUTCOMES, AUTH_LOG_REASONS } from '../domain/auth-log';
import { DELIVERY_STATUSES } from '../domain/delivery-report';
import { ACTIVATION_VIAS, DEVICE_PLATFORMS } from '../domain/device';
import { DIALECTS } from '../domain/dialect';
import type { UserMessages } from '../domain/profile';
import { ASSISTED_LOGIN_KINDS, type AssistedLoginProfileInput } from '../domain/assisted-login';

const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const profiles = sqliteTable(
  'profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    dialect: text('dialect', { enum: DIALECTS }).notNull().default('cloud'),
    plusActivationLinks: integer('plus_activation_links', { mode: 'boolean' }).notNull().default(true),
    usePlusIfActivated: integer('use_plus_if_activated', { mode: 'boolean' }).notNull().default(true),
    assistedLoginProfile: text('assisted_login_profile'),
    useLocalDatabase: integer('use_local_database', { mode: 'boolean' }).notNull().default(false),
    ldapProfiles: text('ldap_profiles', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    entraProfiles: text('entra_profiles', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    touchMessages: text('touch_messages', { mode: 'json' }).$type<UserMessages>().notNull(),
    assistedMessages: text('assisted_messages', { mode: 'json' }).$type<UserMessages>().notNull(),
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull(),
    rateLimitPerHour: integer('rate_limit_per_hour').notNull(),
    /** After a "this wasn't me" report, requests to that number through this profile are refused this long (0: never). */
    unexpectedBlockMinutes: integer('unexpected_block_minutes').notNull().default(60),
    /** ISO 3166-1 alpha-2 codes the profile sends to (JSON); [] every country; NULL follows DEFAULT_ALLOWED_COUNTRIES. */
    allowedCountries: text('allowed_countries', { mode: 'json' }).$type<string[]>(),
    smsBudgetPerHour: integer('sms_budget_per_hour').notNull().default(500),
    smsBudgetPerDay: integer('sms_budget_per_day').notNull().default(5000),
    /** Hosts a caller's callback-url may name (JSON list); [] means callbacks are off. */
    callbackHosts: text('callback_hosts', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** The SMS sender shown on the phone for this endpoint; null: the deployment's. */
    smsSender: text('sms_sender'),
    /** The callback signing secret, sealed (security/callback-secret.ts): it must be used again, so it is not hashed. */
    callbackSecretSealed: text('callback_secret_sealed'),
    callbackSecretCreatedAt: integer('callback_secret_created_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (table) => [uniqueIndex('profiles_name_unique').on(table.name)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    profileId: integer('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** SHA-256 (hex) of the token value; the value itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    source: text('source', { enum: ['created', 'imported'] }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('api_tokens_profile_name_unique').on(table.profileId, table.name),
    index('api_tokens_profile_hash').on(table.profileId, table.secretHash),
  ],
);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['user', 'admin', 'superadmin'] }).notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('users_username_unique').on(table.username)],
);

export const adminSessions = sqliteTable('admin_sessions', {
  /** SHA-256 (hex) of the session cookie's value. */
  idHash: text('id_hash').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  createdAt: createdAt(),
});

/**
 * One row per ended authentication, written by its session's Durable Object. No foreign keys:
 * profiles and tokens may be renamed or deleted while their history stays. Times are epoch ms.
 */
export const authLog = sqliteTable(
  'auth_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The session's Durable Object id (hex); unique, so a retried write adds nothing. */
    sessionId: text('session_id').notNull(),
    startedAtMs: integer('started_at').notNull(),
    endedAtMs: integer('ended_at').notNull(),
    profileName: text('profile_name').notNull(),
    tokenName: text('token_name').notNull(),
    /** Masked (+4670*****67); the full number is never stored. */
    msisdnMasked: text('msisdn_masked').notNull(),
    channel: text('channel', { enum: AUTH_CHANNELS }).notNull(),
    outcome: text('outcome', { enum: AUTH_LOG_OUTCOMES }).notNull(),
    /** Why, when the outcome alone does not say: "unexpected" (the user reported "this wasn't me"), "match-mismatch". */
    reason: text('reason', { enum: AUTH_LOG_REASONS }),
    durationMs: integer('duration_ms').notNull(),
    /** Assisted login: the user whose sign-in was approved (their id) and the approver who answered; both null otherwise. */
    assistedUser: text('assisted_user'),
    approver: text('approver'),
    /** The SMS provider's delivery report (delivered | failed) and when it came; null when none came. */
    delivery: text('delivery', { enum: DELIVERY_STATUSES }),
    deliveryAtMs: integer('delivery_at'),
  },
  (table) => [
    uniqueIndex('auth_log_session_id_unique').on(table.sessionId),
    index('auth_log_started_at').on(table.startedAtMs),
    index('auth_log_profile_started_at').on(table.profileName, table.startedAtMs),
    index('auth_log_outcome_started_at').on(table.outcome, table.startedAtMs),
  ],
);

/**
 * Companion-app devices bound to a phone number (several per number). The number is kept only as
 * its HMAC (`phone_key`, the same key the rate limiter uses) and masked; the app proves itself
 * with the ECDSA P-256 key pair it generated, of which only the public half is here.
 */
export const devices = sqliteTable(
  'devices',
  {
    /** Random, URL-safe; the app sends it with every signed request. */
    id: text('id').primaryKey(),
    phoneKey: text('phone_key').notNull(),
    msisdnMasked: text('msisdn_masked').notNull(),
    /** The app's own installation id: activating the same installation again replaces its key and push token. */
    installationId: text('installation_id').notNull(),
    /** The public key as a JWK (JSON), kty EC, crv P-256. */
    publicKey: text('public_key', { mode: 'json' }).$type<JsonWebKey>().notNull(),
    platform: text('platform', { enum: DEVICE_PLATFORMS }).notNull(),
    pushToken: text('push_token').notNull(),
    label: text('label').notNull().default(''),
    /** The latest signed-request timestamp seen (epoch ms): a request must be newer, so none can be replayed. */
    lastSignedAtMs: integer('last_signed_at').notNull().default(0),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
    activatedVia: text('activated_via', { enum: ACTIVATION_VIAS }).notNull().default('unknown'),
    activatedBy: text('activated_by'),
    /** SHA-256 of the code in the activation notice's "this wasn't me" link, which deactivates this device. */
    deactivationCodeHash: text('deactivation_code_hash'),
  },
  (table) => [
    index('devices_phone_key').on(table.phoneKey),
    uniqueIndex('devices_phone_installation_unique').on(table.phoneKey, table.installationId),
    uniqueIndex('devices_deactivation_code_unique').on(table.deactivationCodeHash),
  ],
);

/** Activation links (/plus/activate/{code}): single use, expiring; only the code's SHA-256 is stored. */
export const deviceActivations = sqliteTable(
  'device_activations',
  {
    codeHash: text('code_hash').primaryKey(),
    phoneKey: text('phone_key').notNull(),
    msisdnMasked: text('msisdn_masked').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    /** The number, AES-GCM encrypted (security/phone-crypto.ts): the activation's notice is sent to it. */
    msisdnEncrypted: text('msisdn_encrypted'),
    via: text('via', { enum: ACTIVATION_VIAS }).notNull().default('unknown'),
    createdBy: text('created_by'),
  },
  (table) => [index('device_activations_expires_at').on(table.expiresAt)],
);

/** Sessions sent by push and still waiting, by number: the app's "pending requests" pull reads these. */
export const pushSessions = sqliteTable(
  'push_sessions',
  {
    sessionId: text('session_id').notNull(),
    /** An assisted login's session waits on several numbers (one per approver): one row each. */
    phoneKey: text('phone_key').notNull(),
    deadlineMs: integer('deadline_ms').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.phoneKey] }), index('push_sessions_phone_key_deadline').on(table.phoneKey, table.deadlineMs)],
);

/** The administrator audit log: one row per change or sign-in (src/domain/audit.ts). Never a secret; times are epoch ms. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    atMs: integer('at').notNull(),
    /** A console account's username, the username a refused sign-in typed, or who acted outside the console ("(companion app)"). */
    actor: text('actor').notNull(),
    /** The client's address (CF-Connecting-IP), when there was one. */
    address: text('address'),
    action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
    target: text('target').notNull(),
    changes: text('changes', { mode: 'json' }).$type<AuditChanges>(),
  },
  (table) => [index('audit_log_at').on(table.atMs), index('audit_log_actor_at').on(table.actor, table.atMs), index('audit_log_action_at').on(table.action, table.atMs)],
);

/**
 * Assisted login's local user database. The phone is kept sealed (security/phone-crypto.ts), found by
 * its HMAC (`phone_key`) and shown masked; `username_key` is the lower-cased username, unique.
 */
export const directoryUsers = sqliteTable(
  'directory_users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    usernameKey: text('username_key').notNull(),
    displayName: text('display_name').notNull().default(''),
    phoneEncrypted: text('phone_encrypted'),
    phoneKey: text('phone_key'),
    phoneMasked: text('phone_masked'),
    email: text('email').notNull().default(''),
    groups: text('groups', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** The manager's username. */
    manager: text('manager'),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('directory_users_username_key_unique').on(table.usernameKey), index('directory_users_phone_key').on(table.phoneKey)],
);

/** LDAP directories searched by assisted login. The bind password is sealed (security/directory-secrets.ts). */
export const ldapProfiles = sqliteTable(
  'ldap_profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    url: text('url').notNull(),
    startTls: integer('start_tls', { mode: 'boolean' }).notNull().default(true),
    bindDn: text('bind_dn').notNull(),
    bindPasswordSealed: text('bind_password_sealed').notNull(),
    baseDn: text('base_dn').notNull(),
    userFilter: text('user_filter').notNull(),
    phoneAttribute: text('phone_attribute').notNull(),
    displayNameAttribute: text('display_name_attribute').notNull(),
    groupAttribute: text('group_attribute').notNull(),
    managerAttribute: text('manager_attribute').notNull(),
    timeoutSeconds: integer('timeout_seconds').notNull().default(5),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('ldap_profiles_name_unique').on(table.name)],
);

/** Entra ID tenants searched by assisted login (Microsoft Graph). The client secret is sealed. */
export const entraProfiles = sqliteTable(
  'entra_profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    tenantId: text('tenant_id').notNull(),
    clientId: text('client_id').notNull(),
    clientSecretSealed: text('client_secret_sealed').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('entra_profiles_name_unique').on(table.name)],
);

/** Who may approve whom (domain/assisted-login.ts); the rule's settings are one JSON document. */
export const assistedLoginProfiles = sqliteTable(
  'assisted_login_profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    kind: text('kind', { enum: ASSISTED_LOGIN_KINDS }).notNull(),
    settings: text('settings', { mode: 'json' }).$type<Omit<AssistedLoginProfileInput, 'name' | 'kind'>>().notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('assisted_login_profiles_name_unique').on(table.name)],
);
