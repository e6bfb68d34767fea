import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { TEST_LDAP_PORT } from './test/ldap/port';
// @ts-expect-error: plain ESM script shared with `npm start`, no type declarations
import { newReceiptKey } from './scripts/receipt-key.mjs';

const migrations = await readD1Migrations('./migrations');
// A fresh receipt key per run: tests read the public key from /.well-known/jwks.json, as a verifier does.
const receiptKey = await newReceiptKey();
const common = {
  TEST_MIGRATIONS: migrations,
  RECEIPT_SIGNING_KEY: JSON.stringify(receiptKey.privateJwk),
  PHONE_HASH_SECRET: 'test-phone-hash-secret',
  DIRECTORY_SECRET_KEY: 'test-directory-secret-key',
  // The real OpenLDAP server test/ldap/global-setup.ts starts (the bind account's password is in scripts/ldap-server.mjs).
  TEST_LDAP_URL: `ldap://127.0.0.1:${TEST_LDAP_PORT}`,
  TEST_LDAPS_URL: `ldaps://127.0.0.1:${TEST_LDAP_PORT + 1}`,
  // Cloudflare Access sign-in on, against a fake team whose keys tests serve at the fetch boundary (test/access-team.ts).
  ACCESS_TEAM_DOMAIN: 'https://sfwa-test.cloudflareaccess.com',
  ACCESS_AUD: 'sfwa-test-aud',
  ACCESS_ROLES: JSON.stringify({ '@access.example': 'user', 'group:sfwa-admins': 'admin', 'boss@access.example': 'superadmin' }),
};

const workers = (bindings: Record<string, unknown>, main?: string, miniflare: Record<string, unknown> = {}) =>
  cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, ...(main && { main }), miniflare: { bindings: { ...common, ...bindings }, ...miniflare } });

export default defineConfig({
  test: {
    projects: [
      {
        // As deployed: SMS go through the real 46elks adapter, with fetch faked at the boundary in tests.
        // LOCAL_DEV is set explicitly: a .dev.vars left by `npm start` would otherwise turn it on here.
        // Push goes through the real signed-webhook adapter, faked at the same boundary (test/push-support.ts).
        plugins: [
          workers({
            SMS_PROVIDER: '46elks',
            LOCAL_DEV: 'false',
            ELKS_USERNAME: 'u-test',
            ELKS_PASSWORD: 'p-test',
            ELKS_FROM: 'SFWA',
            PUSH_PROVIDER: 'webhook',
            PUSH_WEBHOOK_URL: 'https://push-relay.test/sfwa',
            PUSH_WEBHOOK_SECRET: 'test-webhook-secret-0123456789abcdef',
          }, undefined, { analyticsEngineDatasets: { ANALYTICS: { dataset: 'sfwa_authentications' } } }),
        ],
        test: { globalSetup: ['./test/ldap/global-setup.ts'], name: 'worker', include: ['test/**/*.test.{ts,tsx}'], exclude: ['test/local-dev/**', 'test/browser/**', 'test/failover/**', 'test/sinch/**'], setupFiles: ['./test/apply-migrations.ts', './test/log-lines.ts'] },
      },
      {
        // Two providers in order, as SMS_PROVIDERS configures them: a failed delivery goes on to the second (test/failover).
        plugins: [
          workers({
            SMS_PROVIDERS: '46elks,twilio',
            LOCAL_DEV: 'false',
            ELKS_USERNAME: 'u-test',
            ELKS_PASSWORD: 'p-test',
            ELKS_FROM: 'SFWA',
            TWILIO_ACCOUNT_SID: 'AC-test',
            TWILIO_AUTH_TOKEN: 'twilio-test-auth-token',
            TWILIO_FROM: '+15005550006',
          }),
        ],
        test: { name: 'failover', include: ['test/failover/**/*.test.{ts,tsx}'], setupFiles: ['./test/apply-migrations.ts', './test/log-lines.ts'] },
      },
      {
        // Sinch first, 46elks next, as an EU deployment lists them (test/sinch).
        plugins: [
          workers({
            SMS_PROVIDERS: 'sinch,46elks',
            LOCAL_DEV: 'false',
            ELKS_USERNAME: 'u-test',
            ELKS_PASSWORD: 'p-test',
            ELKS_FROM: 'SFWA',
            SINCH_SERVICE_PLAN_ID: 'plan-test',
            SINCH_API_TOKEN: 'sinch-test-token',
            SINCH_FROM: 'SFWA',
          }),
        ],
        test: { name: 'sinch', include: ['test/sinch/**/*.test.{ts,tsx}'], setupFiles: ['./test/apply-migrations.ts', './test/log-lines.ts'] },
      },
      {
        // As `npm start` runs it: LOCAL_DEV routes on, messages recorded in the outbox.
        // Its entry is src/local-dev.tsx, which adds the /dev routes (wrangler.toml's main, deployed, has none).
        plugins: [workers({ SMS_PROVIDER: 'outbox', PUSH_PROVIDER: 'dev', LOCAL_DEV: 'true' }, './src/local-dev.tsx')],
        test: { name: 'local-dev', include: ['test/local-dev/**/*.test.{ts,tsx}'], setupFiles: ['./test/apply-migrations.ts'] },
      },
    ],
  },
});
