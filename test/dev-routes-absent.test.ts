import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';

it('a deployed Worker (no LOCAL_DEV) has no outbox routes', async () => {
  expect((await SELF.fetch('http://localhost/dev/outbox?msisdn=%2B46701234567')).status).toBe(404);
  expect((await SELF.fetch('http://localhost/dev/phone')).status).toBe(404);
});

it('a deployed Worker (no LOCAL_DEV) has no app simulator routes', async () => {
  expect((await SELF.fetch('http://localhost/dev/app')).status).toBe(404);
  expect((await SELF.fetch('http://localhost/dev/app.js')).status).toBe(404);
  expect((await SELF.fetch('http://localhost/dev/app/pushes?deviceId=abc')).status).toBe(404);
  const activation = await SELF.fetch('http://localhost/dev/app/activation', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"msisdn":"+46701234567"}' });
  expect(activation.status).toBe(404);
});
