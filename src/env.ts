/** The Worker's bindings and configuration (wrangler.toml [vars] and Worker secrets). */
import type { AuthSession } from './auth-session/auth-session';

export interface Env {
  DB: D1Database;
  KV: KVNamespace;
  AUTH_SESSION: DurableObjectNamespace<AuthSession>;
  /** "46elks" | "twilio" | "outbox" */
  SMS_PROVIDER: string;
  /** Set only in local development (.dev.vars): enables /dev routes. Never set in a deployment. */
  LOCAL_DEV?: string;
  /** Secret used to hash phone numbers before they become KV keys (KV has no data-location control). */
  PHONE_HASH_SECRET?: string;
  /** Optional data-location jurisdiction for Durable Objects, e.g. "eu". */
  DATA_JURISDICTION?: string;
  /** Public origin for magic links when the Worker sits behind a proxy, e.g. https://auth.example.com */
  PUBLIC_ORIGIN?: string;
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
}

export const isLocalDev = (env: Pick<Env, 'LOCAL_DEV'>): boolean => env.LOCAL_DEV === 'true';
