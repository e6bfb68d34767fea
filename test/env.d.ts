import type { D1Migration } from 'cloudflare:test';
import type { Env as WorkerEnv } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      TEST_LDAP_URL: string;
      TEST_LDAPS_URL: string;
      // The static assets (public/), as Cloudflare serves them in front of the Worker.
      ASSETS: Fetcher;
    }
  }
}
