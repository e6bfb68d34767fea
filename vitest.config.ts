import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const migrations = await readD1Migrations('./migrations');

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Tests send SMS through the real 46elks adapter with fetch faked at the boundary.
        bindings: {
          TEST_MIGRATIONS: migrations,
          SMS_PROVIDER: '46elks',
          ELKS_USERNAME: 'u-test',
          ELKS_PASSWORD: 'p-test',
          ELKS_FROM: 'SFWA',
          PHONE_HASH_SECRET: 'test-phone-hash-secret',
        },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/apply-migrations.ts'],
  },
});
