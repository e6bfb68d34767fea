/** The Worker's bindings and configuration (wrangler.toml [vars] and Worker secrets). */
import type { AuthSessionRpc, GuessThrottleRpc, IdempotencyKeyRpc, OutboxSignalRpc, SmsBudgetCounterRpc } from './durable-objects';
import { LOG_RETENTION_DAYS_DEFAULT } from './domain/constants';
import { parseCountryList } from './domain/countries';
import type { Profile } from './domain/profile';

export interface Env {
  DB: D1Database;
  KV: KVNamespace;
  AUTH_SESSION: DurableObjectNamespace<AuthSessionRpc>;
  /** One object per endpoint profile: its SMS budget (src/abuse/sms-budget.ts). */
  SMS_BUDGET: DurableObjectNamespace<SmsBudgetCounterRpc>;
  /** One object per throttled subject (a console username, a client address): sign-in guessing (src/abuse/guess-throttle.ts). */
  GUESS_THROTTLE: DurableObjectNamespace<GuessThrottleRpc>;
  /** One object per (profile, Idempotency-Key): a retried start gets the same session (src/auth-session/idempotency-key.ts). */
  IDEMPOTENCY_KEY: DurableObjectNamespace<IdempotencyKeyRpc>;
  /** Local development only: tells /dev/outbox readers that a message was recorded (src/providers/sms/outbox-signal.ts). */
  OUTBOX_SIGNAL: DurableObjectNamespace<OutboxSignalRpc>;
  /** Optional Worker secret: `GET /health` with `Authorization: Bearer <it>` adds what is configured (src/api/health.ts). */
  HEALTH_CHECK_SECRET?: string;
  /** Optional Workers Analytics Engine dataset: one data point per settled authentication (src/observability/analytics.ts). */
  ANALYTICS?: AnalyticsEngineDataset;
  /** The older single provider setting: "46elks" | "twilio" | "sinch" | "outbox"; a list of one when SMS_PROVIDERS is unset. */
  SMS_PROVIDER?: string;
  /** SMS providers in order of preference, comma-separated ("46elks,twilio"): a send the first fails goes to the next. */
  SMS_PROVIDERS?: string;
  /** API base URLs (a regional endpoint, an egress proxy, a local fake); the providers' public ones when unset. */
  ELKS_API_URL?: string;
  TWILIO_API_URL?: string;
  SINCH_API_URL?: string;
  /** Set only in local development (.dev.vars): enables /dev routes. Never set in a deployment. */
  LOCAL_DEV?: string;
  /** Secret used to hash phone numbers before they become KV keys (KV has no data-location control). */
  PHONE_HASH_SECRET?: string;
  /** Secret that seals directory credentials (LDAP bind passwords, Entra client secrets) at rest; needed for assisted login's repositories. */
  DIRECTORY_SECRET_KEY?: string;
  /** Days the authentication log keeps an entry (wrangler.toml [vars], default "90"); the nightly job deletes older ones. */
  LOG_RETENTION_DAYS?: string;
  /** Optional data-location jurisdiction for Durable Objects, e.g. "eu". */
  DATA_JURISDICTION?: string;
  /**
   * The origin in magic links, activation links and endpoint URLs, e.g. https://auth.example.com. Unset, it is
   * the request's own, from its Host: right on Cloudflare's edge, wrong behind a proxy that forwards Host.
   */
  PUBLIC_ORIGIN?: string;
  /** Countries a profile sends to unless it has its own list: comma-separated ISO 3166-1 alpha-2 codes, "" for every country. */
  DEFAULT_ALLOWED_COUNTRIES?: string;
  /** Optional Cloudflare Access sign-in for the console: team domain (e.g. myteam.cloudflareaccess.com), application AUD tag, and role map (JSON). */
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  ACCESS_ROLES?: string;
  ELKS_USERNAME?: string;
  ELKS_PASSWORD?: string;
  ELKS_FROM?: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_FROM?: string;
  /** Sinch: the service plan id, its API token (a Worker secret) and the sender (alphanumeric or a number). */
  SINCH_SERVICE_PLAN_ID?: string;
  SINCH_API_TOKEN?: string;
  SINCH_FROM?: string;
  /** Signs receipts (a Worker secret): an EC P-256 private JWK with a `kid` (`npm run receipt-key`). Unset, answers carry no receipt. */
  RECEIPT_SIGNING_KEY?: string;
  /** Public JWKs (a JSON array) of keys receipts were signed with before a rotation: still published at /.well-known/jwks.json. */
  RECEIPT_PREVIOUS_KEYS?: string;
  /** Push provider for the companion app: "fcm" | "webhook" | "dev"; unset means push is off and every session uses SMS. */
  PUSH_PROVIDER?: string;
  /** Firebase service-account JSON (a Worker secret) for PUSH_PROVIDER=fcm. */
  FCM_SERVICE_ACCOUNT?: string;
  /** HTTPS URL of a self-hosted push relay for PUSH_PROVIDER=webhook (http only for localhost). */
  PUSH_WEBHOOK_URL?: string;
  /** Secret (32+ characters, a Worker secret) that signs webhook pushes with HMAC-SHA256. */
  PUSH_WEBHOOK_SECRET?: string;
}

/** A Durable Object namespace pinned to DATA_JURISDICTION (e.g. "eu") when it is set, so objects and their storage stay there. */
export const inJurisdiction = <T extends Rpc.DurableObjectBranded | undefined>(
  env: Pick<Env, 'DATA_JURISDICTION'>,
  namespace: DurableObjectNamespace<T>,
): DurableObjectNamespace<T> => (env.DATA_JURISDICTION ? namespace.jurisdiction(env.DATA_JURISDICTION as DurableObjectJurisdiction) : namespace);

/** The origin people and applications use: PUBLIC_ORIGIN behind a proxy (without a trailing slash), else the request's own. */
export const publicOrigin = (env: Pick<Env, 'PUBLIC_ORIGIN'>, requestUrl: string): string =>
  env.PUBLIC_ORIGIN?.replace(/\/+$/, '') ?? new URL(requestUrl).origin;

export const isLocalDev = (env: Pick<Env, 'LOCAL_DEV'>): boolean => env.LOCAL_DEV === 'true';

/** Push to the companion app is on when a provider is configured; without one every session uses SMS. */
export const isPushEnabled = (env: Pick<Env, 'PUSH_PROVIDER'>): boolean => Boolean(env.PUSH_PROVIDER?.trim());

/** LOG_RETENTION_DAYS as a whole number of days; a value that is not one is a configuration error, not "keep forever". */
export function logRetentionDays(env: Pick<Env, 'LOG_RETENTION_DAYS'>): number {
  const days = Number(env.LOG_RETENTION_DAYS ?? LOG_RETENTION_DAYS_DEFAULT);
  if (!Number.isInteger(days) || days < 1) throw new Error(`LOG_RETENTION_DAYS must be a whole number of days (1 or more), not "${env.LOG_RETENTION_DAYS}"`);
  return days;
}

let parsedDefaultCountries: { text: string | undefined; codes: string[] } | undefined;

/** DEFAULT_ALLOWED_COUNTRIES as a list (parsed once per isolate); a value that is not one is a configuration error. */
export function defaultAllowedCountries(env: Pick<Env, 'DEFAULT_ALLOWED_COUNTRIES'>): string[] {
  if (parsedDefaultCountries === undefined || parsedDefaultCountries.text !== env.DEFAULT_ALLOWED_COUNTRIES) {
    parsedDefaultCountries = { text: env.DEFAULT_ALLOWED_COUNTRIES, codes: parseCountryList(env.DEFAULT_ALLOWED_COUNTRIES) };
  }
  return parsedDefaultCountries.codes;
}

/** The countries a profile sends to: its own list, or the deployment's default when it has none; [] is every country. */
export const allowedCountriesOf = (profile: Pick<Profile, 'allowedCountries'>, env: Pick<Env, 'DEFAULT_ALLOWED_COUNTRIES'>): readonly string[] =>
  profile.allowedCountries ?? defaultAllowedCountries(env);
