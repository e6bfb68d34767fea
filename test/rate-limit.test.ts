import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { admitAttempt } from '../src/store/rate-counter';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

describe('rate limit per phone number', () => {
  it('refuses the request over the per-minute limit with 429 and Retry-After, and sends nothing', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('limited', { rateLimit: { perMinute: 2, perHour: 10 } });
    const apiKey = await seedToken({ profile: 'limited' });
    const msisdn = freshMsisdn();
    for (let i = 0; i < 2; i++) {
      const call = callApi(apiKey, { msisdn }, 'limited');
      await decideLink((await sms.nextSms()).link, 'accept');
      expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    }
    const refused = await callApi(apiKey, { msisdn }, 'limited');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(sms.sent).toHaveLength(2);

    // Another number is not affected.
    const other = callApi(apiKey, { msisdn: freshMsisdn() }, 'limited');
    await decideLink((await sms.nextSms()).link, 'reject');
    expect(await (await other).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('admits at most the limit from a concurrent burst, and refused attempts do not count', async () => {
    const limit = { perMinute: 3, perHour: 10 };
    const msisdnHash = 'burst-test';
    const now = Date.now();
    const decisions = await Promise.all(Array.from({ length: 12 }, () => admitAttempt(env.KV, msisdnHash, now, limit)));
    const admitted = decisions.filter((d) => d.allowed).length;
    expect(admitted).toBeLessThanOrEqual(3);
    // Only admitted attempts keep a key: refusals leave nothing that counts against the user.
    const keys = await env.KV.list({ prefix: `rate:${msisdnHash}:` });
    expect(keys.keys).toHaveLength(admitted);
  });

  it('applies the hour window beside the minute window', async () => {
    const limit = { perMinute: 5, perHour: 5 };
    const hour = 3_600_000;
    const start = Date.now() - hour + 10 * 60_000; // five attempts 50 minutes ago
    for (let i = 0; i < 5; i++) expect((await admitAttempt(env.KV, 'hour-test', start + i, limit)).allowed).toBe(true);
    const refused = await admitAttempt(env.KV, 'hour-test', Date.now(), limit);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 600 });
  });
});
