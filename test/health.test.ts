/** GET /health: plain for anyone; with the health check secret, or for an administrator, what is configured and reachable. */
import { createExecutionContext, env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../src/env';
import worker from '../src/index';
import { adminFetch, json, signedInAs } from './admin-client';

const SECRET = 'health-check-secret-0123456789abcdef';
const withSecret = (overrides: Partial<Env> = {}, authorization = `Bearer ${SECRET}`) =>
  worker.fetch(new Request('http://localhost/health', { headers: { authorization } }), { ...(env as unknown as Env), HEALTH_CHECK_SECRET: SECRET, ...overrides }, createExecutionContext());

describe('GET /health', () => {
  it('says only "ok" without credentials', async () => {
    const response = await SELF.fetch('http://localhost/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('with the secret, says D1, KV and each provider are ready, naming no secret value', async () => {
    const response = await withSecret();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      status: 'ok',
      d1: { ok: true },
      kv: { ok: true },
      sms: [{ provider: '46elks', ready: true }],
      push: { provider: 'webhook', ready: true },
      receipts: { signingKey: true },
      dataJurisdiction: null,
    });
    for (const value of ['p-test', 'test-webhook-secret', SECRET]) expect(text).not.toContain(value);
  });

  it('answers 503 naming the missing setting when a provider lacks credentials', async () => {
    const response = await withSecret({ SMS_PROVIDER: undefined, SMS_PROVIDERS: '46elks,sinch', SINCH_API_TOKEN: undefined });
    expect(response.status).toBe(200);
    const degraded = await withSecret({ ELKS_PASSWORD: undefined });
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({ status: 'degraded', sms: [{ provider: '46elks', ready: false, detail: 'not configured: set ELKS_PASSWORD' }] });
    expect(await response.json()).toMatchObject({ sms: [{ provider: '46elks', ready: true }, { provider: 'sinch', ready: false, detail: 'not configured: set SINCH_SERVICE_PLAN_ID, SINCH_API_TOKEN, SINCH_FROM' }] });
  });

  it('refuses a wrong secret, and a secret when none is set, without details', async () => {
    const wrong = await withSecret({}, 'Bearer not-the-secret');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const unset = await withSecret({ HEALTH_CHECK_SECRET: undefined });
    expect(unset.status).toBe(401);
  });
});

describe('GET /admin/api/health', () => {
  it('gives the details to an administrator only', async () => {
    expect((await adminFetch('GET', '/health')).status).toBe(401);
    expect((await (await signedInAs('user'))('GET', '/health')).status).toBe(403);
    const asAdmin = await signedInAs('admin');
    const response = await asAdmin('GET', '/health');
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ status: 'ok', d1: { ok: true }, kv: { ok: true }, sms: [{ provider: '46elks', ready: true }] });
  });
});
