/**
 * DATA_JURISDICTION "eu" (README "Data residency"). workerd does not implement jurisdictions (it throws
 * "not implemented"), so the namespaces here record which jurisdiction they are asked for and go on as
 * the real local ones: a whole sign-in must ask for "eu" on every Durable Object namespace it uses.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../src/env';
import worker from '../src/index';
import { DeliveryError } from '../src/providers/provider-request';
import { forgetProviderCoolDowns, smsSenderFor } from '../src/providers/sms/sms-sender';
import { authUrl, decideLink, fakeSmsProvider, freshMsisdn, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

const testEnv = env as unknown as Env;

/** The real namespace, recording every jurisdiction asked of it. */
function recordingJurisdictions<T extends DurableObjectNamespace<never>>(namespace: T, asked: string[]): T {
  return new Proxy(namespace, {
    get(target, property) {
      if (property === 'jurisdiction') {
        return (jurisdiction: string) => {
          asked.push(jurisdiction);
          return target;
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('EU data residency', () => {
  it('asks every Durable Object namespace a sign-in uses for the "eu" jurisdiction', async () => {
    const sms = fakeSmsProvider();
    const asked: Record<string, string[]> = { AUTH_SESSION: [], SMS_BUDGET: [], IDEMPOTENCY_KEY: [] };
    const euEnv: Env = {
      ...testEnv,
      DATA_JURISDICTION: 'eu',
      AUTH_SESSION: recordingJurisdictions(testEnv.AUTH_SESSION as never, asked.AUTH_SESSION!),
      SMS_BUDGET: recordingJurisdictions(testEnv.SMS_BUDGET as never, asked.SMS_BUDGET!),
      IDEMPOTENCY_KEY: recordingJurisdictions(testEnv.IDEMPOTENCY_KEY as never, asked.IDEMPOTENCY_KEY!),
    };
    const apiKey = await seedToken();
    const ctx = createExecutionContext();
    const call = worker.fetch(new Request(authUrl({ msisdn: freshMsisdn() }), { headers: { 'api-key': apiKey, 'idempotency-key': crypto.randomUUID() } }), euEnv, ctx);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toMatchObject({ code: 'ACCEPT' });
    await waitOnExecutionContext(ctx);
    expect(asked.AUTH_SESSION!.length).toBeGreaterThan(0);
    expect(asked.SMS_BUDGET!.length).toBeGreaterThan(0);
    expect(asked.IDEMPOTENCY_KEY!.length).toBeGreaterThan(0);
    expect(new Set(Object.values(asked).flat())).toEqual(new Set(['eu']));
  });

  it('sends SMS by EU providers only: Twilio is skipped, Sinch only at an EU endpoint', async () => {
    forgetProviderCoolDowns();
    const urls: string[] = [];
    const fetcher = async (input: string) => {
      urls.push(input);
      return new Response('{}', { status: 201 });
    };
    const configured: Env = {
      ...testEnv,
      DATA_JURISDICTION: 'eu',
      SMS_PROVIDERS: 'twilio,sinch,46elks',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 't',
      TWILIO_FROM: '+15005550006',
      SINCH_SERVICE_PLAN_ID: 'plan',
      SINCH_API_TOKEN: 's',
      SINCH_FROM: 'SFWA',
    };
    const message = { to: '+46701234567', text: 'hi', link: 'https://x/l/a/b' };
    expect(await smsSenderFor(configured, fetcher).send(message)).toEqual({
      provider: 'sinch',
      failedOver: [{ provider: 'twilio', detail: 'not an EU provider: skipped while DATA_JURISDICTION is "eu"' }],
    });
    expect(urls).toEqual(['https://eu.sms.api.sinch.com/xms/v1/plan/batches']);
    // Sinch's US region is not the EU: 46elks sends.
    urls.length = 0;
    expect((await smsSenderFor({ ...configured, SINCH_API_URL: 'https://us.sms.api.sinch.com' }, fetcher).send(message)).provider).toBe('46elks');
    // Twilio alone cannot send at all under "eu", and says why.
    expect(() => smsSenderFor({ ...configured, SMS_PROVIDERS: 'twilio' }, fetcher)).toThrow(DeliveryError);
    expect(() => smsSenderFor({ ...configured, SMS_PROVIDERS: 'twilio' }, fetcher)).toThrow(/not an EU provider/);
    // Without the setting, Twilio sends as listed.
    expect((await smsSenderFor({ ...configured, DATA_JURISDICTION: undefined }, fetcher).send(message)).provider).toBe('twilio');
  });
});
