/**
 * The SMS toll-fraud guard: only mobile numbers, only the profile's allowed countries (for every
 * channel), and a per-profile SMS budget counted exactly (pushes do not count). Each refusal names
 * its field or reason, and nothing is sent.
 */
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EU_EEA_GB_CH } from '../src/domain/countries';
import { decideBudget } from '../src/domain/sms-budget';
import { errorFields, json, signedInAs } from './admin-client';
import { activateTestDevice } from './device-support';
import { fakePushRelay } from './push-support';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

let profiles = 0;
/** A profile of its own (its own budget, no shared rate limits) and a key for it. */
async function endpoint(settings: Parameters<typeof seedProfile>[1] = {}) {
  const name = `guard-${++profiles}`;
  await seedProfile(name, { rateLimit: { perMinute: 50, perHour: 100 }, ...settings });
  return { name, key: await seedToken({ profile: name }) };
}

type Refusal = { code: string; reason?: string; limit?: string; message: string; errors?: { field: string; message: string }[] };

describe('only numbers that can receive an SMS as a mobile get anything', () => {
  // Every country allowed, so only the number type can refuse these.
  it.each([
    ['Swedish premium-rate', '+46900123456'],
    ['Swedish shared-cost', '+46771234567'],
    ['Swedish landline', '+46812345678'],
    ['UK toll-free', '+448001234567'],
    ['UK premium-rate', '+449012345678'],
    ['UK UAN', '+443031234567'],
    ['UK pager', '+447640123456'],
    ['UK VoIP', '+445612345678'],
    ['Swiss premium-rate', '+41900123456'],
    ['Swiss shared-cost', '+41840123456'],
    ['Norwegian voicemail', '+4781234567'],
    ['German toll-free', '+4980012345678'],
    ['Iridium satellite', '+881612345678'],
    ['Inmarsat satellite', '+870772123456'],
    ['international toll-free', '+80012345678'],
    ['a number of no known type', '+46100000000'],
  ])('%s (%s) -> 400 naming msisdn', async (_, msisdn) => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ allowedCountries: [] });
    const response = await callApi(key, { msisdn }, name);
    expect(response.status).toBe(400);
    const body = await response.json<Refusal>();
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.errors).toEqual([{ field: 'msisdn', message: expect.stringMatching(/not a mobile number|non-geographic|not a valid number/) }]);
    expect(sms.sent).toHaveLength(0);
  });

  it('says why a premium-rate number is refused', async () => {
    const { name, key } = await endpoint({ allowedCountries: [] });
    const body = await (await callApi(key, { msisdn: '+46900123456' }, name)).json<Refusal>();
    expect(body.errors?.[0]?.message).toContain('premium-rate');
    expect(body.errors?.[0]?.message).toContain('mobile');
  });

  it.each([
    ['a Swedish mobile', '+46701234567'],
    ['a US number (fixed line or mobile: the plan cannot tell)', '+12015550123'],
    ['a German mobile', '+4915112345678'],
  ])('%s is sent to', async (_, msisdn) => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ allowedCountries: [] });
    const call = callApi(key, { msisdn }, name);
    const sent = await sms.nextSms();
    expect(sent.form.get('to')).toBe(msisdn);
    await decideLink(sent.link, 'reject');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });
});

describe('allowed countries', () => {
  it('a new profile follows the deployment default: the EU/EEA countries, GB and CH', async () => {
    const admin = await signedInAs('admin');
    const created = await json(await admin('POST', '/profiles', { name: 'countries-default' }));
    expect(created.allowedCountries).toEqual([...EU_EEA_GB_CH].sort());
    expect(created.allowedCountriesSource).toBe('deployment');
    expect(env.DEFAULT_ALLOWED_COUNTRIES?.split(',').sort()).toEqual([...EU_EEA_GB_CH].sort());
    const seeded = await json(await admin('GET', '/profiles/default'));
    expect(seeded.allowedCountries).toEqual(created.allowedCountries);
  });

  it.each([
    ['a US mobile', '+12015550123', 'United States (US)'],
    ['a Chinese mobile', '+8613812345678', 'China (CN)'],
    ['a Guernsey mobile (+44, but not GB)', '+447911123456', 'Guernsey (GG)'],
  ])('the default refuses %s before anything is sent, naming the country', async (_, msisdn, country) => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint();
    const response = await callApi(key, { msisdn }, name);
    expect(response.status).toBe(400);
    const body = await response.json<Refusal>();
    expect(body.errors).toEqual([{ field: 'msisdn', message: expect.stringContaining(country) }]);
    expect(sms.sent).toHaveLength(0);
  });

  it('an administrator narrows a profile to Sweden: a Norwegian mobile is refused, a Swedish one is not; null follows the default again', async () => {
    const sms = fakeSmsProvider();
    const admin = await signedInAs('admin');
    const { name, key } = await endpoint();
    const narrowed = await json(await admin('PATCH', `/profiles/${name}`, { allowedCountries: ['se'] }));
    expect(narrowed).toMatchObject({ allowedCountries: ['SE'], allowedCountriesSource: 'profile' });

    const refused = await callApi(key, { msisdn: '+4791234567' }, name);
    expect(refused.status).toBe(400);
    expect((await refused.json<Refusal>()).errors?.[0]?.message).toContain('Norway (NO)');
    expect(sms.sent).toHaveLength(0);

    const swedish = callApi(key, { msisdn: freshMsisdn() }, name);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await swedish).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

    const back = await json(await admin('PATCH', `/profiles/${name}`, { allowedCountries: null }));
    expect(back.allowedCountriesSource).toBe('deployment');
    const norwegian = callApi(key, { msisdn: '+4791234567' }, name);
    await decideLink((await sms.nextSms()).link, 'reject');
    expect(await (await norwegian).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('[] means every country', async () => {
    const sms = fakeSmsProvider();
    const admin = await signedInAs('admin');
    const { name, key } = await endpoint();
    expect(await json(await admin('PATCH', `/profiles/${name}`, { allowedCountries: [] }))).toMatchObject({ allowedCountries: [], allowedCountriesSource: 'profile' });
    const call = callApi(key, { msisdn: '+8613812345678' }, name);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it.each([
    [['UK'], 'allowedCountries.0', 'GB'],
    [['SE', 'XX'], 'allowedCountries.1', 'ISO 3166-1'],
    ['SE', 'allowedCountries', 'list'],
    [[46], 'allowedCountries.0', 'country code'],
  ])('%j is refused naming %s, and nothing is saved', async (value, field, words) => {
    const admin = await signedInAs('admin');
    const { name } = await endpoint({ allowedCountries: ['FI'] });
    const response = await admin('PATCH', `/profiles/${name}`, { allowedCountries: value });
    expect(response.status).toBe(400);
    const body = await response.json<Refusal>();
    expect(body.errors?.[0]).toEqual({ field, message: expect.stringContaining(words) });
    expect((await json(await admin('GET', `/profiles/${name}`))).allowedCountries).toEqual(['FI']);
  });

  it('applies to a number with the companion app too: no push is sent to a refused country', async () => {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint({ allowedCountries: ['SE'] });
    const american = '+12015550199';
    await activateTestDevice(american);
    const response = await callApi(key, { msisdn: american }, name);
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['msisdn']);
    expect(relay.sent).toHaveLength(0);
    expect(sms.sent.filter((message) => message.form.get('to') === american && message.link)).toHaveLength(0);
  });
});

describe('the SMS budget of a profile', () => {
  it('refuses the SMS over the hourly budget with 429 RATE_LIMITED, reason budget and Retry-After, and sends nothing', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ smsBudget: { perHour: 2, perDay: 10 } });
    for (let i = 0; i < 2; i++) {
      const call = callApi(key, { msisdn: freshMsisdn() }, name);
      await decideLink((await sms.nextSms()).link, 'accept');
      expect((await call).status).toBe(200);
    }
    const refused = await callApi(key, { msisdn: freshMsisdn() }, name);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'budget', message: expect.stringContaining('SMS budget') });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(sms.sent).toHaveLength(2);
  });

  it('counts across all numbers and is exact under a concurrent burst', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ smsBudget: { perHour: 5, perDay: 100 } });
    const answers = await Promise.all(
      Array.from({ length: 14 }, () => callApi(key, { msisdn: freshMsisdn(), 'touch-timeout': '1' }, name).then(async (r) => ({ status: r.status, body: await r.json<Refusal>() }))),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(5);
    const refusals = answers.filter((answer) => answer.status === 429);
    expect(refusals).toHaveLength(9);
    for (const refusal of refusals) expect(refusal.body).toMatchObject({ code: 'RATE_LIMITED', reason: 'budget' });
    expect(sms.sent).toHaveLength(5);
  });

  it('the daily budget counts too', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ smsBudget: { perHour: 1, perDay: 1 } });
    const call = callApi(key, { msisdn: freshMsisdn(), 'touch-timeout': '1' }, name);
    await sms.nextSms();
    await call;
    const refused = await callApi(key, { msisdn: freshMsisdn() }, name);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(23 * 3600);
  });

  it('logs one warning per exhausted window, not one per refusal', async () => {
    const sms = fakeSmsProvider();
    const warnings: string[] = [];
    const warn = console.warn;
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      warnings.push(String(args[0]));
      warn(...args);
    });
    const { name, key } = await endpoint({ smsBudget: { perHour: 1, perDay: 10 } });
    const call = callApi(key, { msisdn: freshMsisdn(), 'touch-timeout': '1' }, name);
    await sms.nextSms();
    await call;
    for (let i = 0; i < 4; i++) expect((await callApi(key, { msisdn: freshMsisdn() }, name)).status).toBe(429);
    const exhausted = warnings.filter((line) => line.includes('"event":"sms_budget.exhausted"'));
    expect(exhausted).toHaveLength(1);
    expect(JSON.parse(exhausted[0]!)).toMatchObject({ profile: name, window: 'hour', limit: 1 });
  });

  it('a request refused by the per-number rate limit, or an SMS the provider refused, does not spend the budget', async () => {
    const { name, key } = await endpoint({ rateLimit: { perMinute: 1, perHour: 10 }, smsBudget: { perHour: 2, perDay: 10 } });
    const failing = fakeSmsProvider(500);
    expect((await callApi(key, { msisdn: freshMsisdn() }, name)).status).toBe(502);
    expect(failing.sent).toHaveLength(1);
    vi.restoreAllMocks();

    const sms = fakeSmsProvider();
    const msisdn = freshMsisdn();
    const first = callApi(key, { msisdn, 'touch-timeout': '1' }, name);
    await sms.nextSms();
    await first;
    const sameNumber = await callApi(key, { msisdn }, name);
    expect(await sameNumber.json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'number' });
    // One SMS spent so far: one more fits.
    const second = callApi(key, { msisdn: freshMsisdn(), 'touch-timeout': '1' }, name);
    await sms.nextSms();
    expect((await second).status).toBe(200);
    expect(await (await callApi(key, { msisdn: freshMsisdn() }, name)).json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'budget' });
  });

  it('pushes to the companion app do not count; a push that falls back to SMS does', async () => {
    const sms = fakeSmsProvider();
    let relayStatus = 200;
    const relay = fakePushRelay(() => relayStatus);
    const { name, key } = await endpoint({ smsBudget: { perHour: 1, perDay: 10 } });
    const withApp = freshMsisdn();
    await activateTestDevice(withApp);
    for (let i = 0; i < 3; i++) {
      const call = callApi(key, { msisdn: withApp, 'touch-timeout': '1' }, name);
      await relay.nextPush();
      expect(await (await call).json()).toEqual({ code: 'TIMEOUT', channel: 'push', receipt: expect.any(String) });
    }
    // The budget is whole: one SMS fits.
    const bySms = callApi(key, { msisdn: freshMsisdn(), 'touch-timeout': '1' }, name);
    await sms.nextSms();
    expect((await bySms).status).toBe(200);
    // Now the push fails, and the fallback SMS finds no budget left: nothing reaches the phone.
    relayStatus = 500;
    const sent = sms.sent.length;
    const refused = await callApi(key, { msisdn: withApp }, name);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'budget' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sms.sent).toHaveLength(sent);
  });

  it('in the server dialect: BAD_REQUEST with reason RATE_LIMITED and limit budget', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ dialect: 'server', smsBudget: { perHour: 1, perDay: 10 } });
    const call = callApi(key, { msisdn: freshMsisdn(), 'touch-timeout': '15' }, name);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'TOUCH_ACCEPTED' });
    const refused = await callApi(key, { msisdn: freshMsisdn() }, name);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'BAD_REQUEST', reason: 'RATE_LIMITED', limit: 'budget' });
  });

  it.each([
    [{ perHour: 0, perDay: 10 }, 'smsBudget.perHour'],
    [{ perHour: 20, perDay: 10 }, 'smsBudget.perHour'],
    [{ perHour: 1, perDay: 2_000_000 }, 'smsBudget.perDay'],
    [{ perHour: 1.5, perDay: 10 }, 'smsBudget.perHour'],
  ])('%j is refused naming %s', async (smsBudget, field) => {
    const admin = await signedInAs('admin');
    const { name } = await endpoint();
    const response = await admin('PATCH', `/profiles/${name}`, { smsBudget });
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual([field]);
  });

  it('defaults to 500 an hour and 5000 a day', async () => {
    const admin = await signedInAs('admin');
    expect((await json(await admin('POST', '/profiles', { name: 'budget-default' }))).smsBudget).toEqual({ perHour: 500, perDay: 5000 });
  });
});

describe('the budget rule (pure)', () => {
  const minute = 60_000;
  const at = (minutes: number) => 1_000_000 * minute + minutes * minute;

  it('slides by the minute: an hour-old SMS leaves the hour window', () => {
    const counts = new Map([[at(0) / minute, 2]]);
    expect(decideBudget(counts, at(59), { perHour: 2, perDay: 10 })).toMatchObject({ allowed: false, window: 'hour', retryAfterSeconds: 60 });
    expect(decideBudget(counts, at(60), { perHour: 2, perDay: 10 })).toMatchObject({ allowed: true });
  });

  it('waits for as many of the oldest as must leave', () => {
    const counts = new Map([
      [at(0) / minute, 1],
      [at(10) / minute, 1],
      [at(20) / minute, 1],
    ]);
    expect(decideBudget(counts, at(30), { perHour: 3, perDay: 10 })).toMatchObject({ allowed: false, retryAfterSeconds: 30 * 60 });
    // A budget lowered below what was already sent waits for more of them to leave.
    expect(decideBudget(counts, at(30), { perHour: 2, perDay: 10 })).toMatchObject({ allowed: false, retryAfterSeconds: 40 * 60 });
  });

  it('refuses with the window that blocks longest', () => {
    const counts = new Map([[at(0) / minute, 3]]);
    expect(decideBudget(counts, at(5), { perHour: 3, perDay: 3 })).toMatchObject({ allowed: false, window: 'day' });
  });
});
