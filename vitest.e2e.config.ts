// End-to-end tests: a real `wrangler dev` Worker driven by Debian's Chromium through playwright-core, in Node.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./test/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits like a person for what the page shows next (a debounced check, a log entry).
    expect: { poll: { timeout: 10_000, interval: 100 } },
    // One Worker, one browser: files run one after another.
    fileParallelism: false,
  },
});
