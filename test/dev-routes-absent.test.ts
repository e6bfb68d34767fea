import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';

it('a deployed Worker (no LOCAL_DEV) has no outbox routes', async () => {
  expect((await SELF.fetch('http://localhost/dev/outbox?msisdn=%2B46701234567')).status).toBe(404);
  expect((await SELF.fetch('http://localhost/dev/phone')).status).toBe(404);
});
