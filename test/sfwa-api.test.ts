import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

const MSISDN = '+46701234567';

afterEach(() => vi.restoreAllMocks());

describe('an authentication accepted through its magic link', () => {
  it('blocks until the user taps Accept, then answers ACCEPT', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    const call = callApi(apiKey, { msisdn: freshMsisdn(), 'touch-timeout': '30' });
    const { link } = await sms.nextSms();
    expect(link).toMatch(/^http:\/\/localhost\/l\/[0-9a-f]{64}\/[A-Za-z0-9_-]{22}$/);
    expect((await decideLink(link, 'accept')).status).toBe(200);
    const response = await call;
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('answers REJECT when the user taps Reject', async () => {
    const sms = fakeSmsProvider();
    const call = callApi(await seedToken(), { msisdn: freshMsisdn() });
    await decideLink((await sms.nextSms()).link, 'reject');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('answers TIMEOUT when nobody answers before touch-timeout', async () => {
    fakeSmsProvider();
    const started = Date.now();
    const response = await callApi(await seedToken(), { msisdn: freshMsisdn(), 'touch-timeout': '1' });
    expect(await response.json()).toEqual({ code: 'TIMEOUT', channel: 'sms', receipt: expect.any(String) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('sends the SMS text of the profile, or of the request when given, followed by the link', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('shop', { touchMessages: { ...emptyMessages(), smsText: 'Shop login:' }, plusActivationLinks: false });
    const apiKey = await seedToken({ profile: 'shop' });
    const first = callApi(apiKey, { msisdn: freshMsisdn() }, 'shop');
    const firstSms = await sms.nextSms();
    expect(firstSms.form.get('message')).toBe(`Shop login: ${firstSms.link}`);
    await decideLink(firstSms.link, 'accept');
    await first;

    const second = callApi(apiKey, { msisdn: freshMsisdn(), 'sms-text': 'Pay 100 kr?' }, 'shop');
    const secondSms = await sms.nextSms();
    expect(secondSms.form.get('message')).toBe(`Pay 100 kr? ${secondSms.link}`);
    await decideLink(secondSms.link, 'reject');
    expect(await (await second).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('accepts the seed example with an unencoded "+" in the query string', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('seed-example');
    const apiKey = await seedToken({ profile: 'seed-example' });
    const call = SELF.fetch('http://localhost/api/sfwa/auth/seed-example?msisdn=+46701234567', { headers: { 'api-key': apiKey } });
    const sent = await sms.nextSms();
    expect(sent.form.get('to')).toBe('+46701234567');
    await decideLink(sent.link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });
});

describe('POST keeps the phone number out of the URL', () => {
  beforeAll(() => seedProfile('post', { rateLimit: { perMinute: 10, perHour: 10 } }));

  it.each([
    ['JSON', 'application/json', JSON.stringify({ msisdn: MSISDN, 'touch-timeout': 20 })],
    ['a form', 'application/x-www-form-urlencoded', new URLSearchParams({ msisdn: MSISDN, 'touch-timeout': '20' }).toString()],
  ])('takes the parameters as %s', async (_, contentType, body) => {
    const sms = fakeSmsProvider();
    const call = SELF.fetch('http://localhost/api/sfwa/auth/post', { method: 'POST', headers: { 'api-key': await seedToken({ profile: 'post' }), 'content-type': contentType }, body });
    const sent = await sms.nextSms();
    expect(sent.form.get('to')).toBe(MSISDN);
    await decideLink(sent.link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('refuses a body that is not JSON', async () => {
    const sms = fakeSmsProvider();
    const response = await SELF.fetch('http://localhost/api/sfwa/auth', { method: 'POST', headers: { 'api-key': await seedToken(), 'content-type': 'application/json' }, body: '{"msisdn":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: '(body)', message: 'is not valid JSON' }] });
    expect(sms.sent).toHaveLength(0);
  });
});

describe('bad input is refused with BAD_REQUEST naming the field, and nothing is sent', () => {
  it.each([
    [{}, 'msisdn', 'is required'],
    [{ msisdn: '0701234567' }, 'msisdn', 'international format'],
    [{ msisdn: '+4670' }, 'msisdn', 'international format'],
    [{ msisdn: 'hello' }, 'msisdn', 'international format'],
    [{ msisdn: MSISDN, 'touch-timeout': '0' }, 'touch-timeout', 'at least 1'],
    [{ msisdn: MSISDN, 'touch-timeout': '61' }, 'touch-timeout', 'at most 60'],
    [{ msisdn: MSISDN, 'touch-timeout': '1.5' }, 'touch-timeout', 'whole number'],
    [{ msisdn: MSISDN, 'touch-timeout': 'soon' }, 'touch-timeout', 'whole number'],
    [{ msisdn: MSISDN, 'sms-text': 'x'.repeat(21) }, 'sms-text', 'at most 20'],
    [{ msisdn: MSISDN, 'title-text': 'x'.repeat(256) }, 'title-text', 'at most 255'],
    [{ msisdn: MSISDN, 'button-accept-text': 'x'.repeat(51) }, 'button-accept-text', 'at most 50'],
    [{ msisdn: MSISDN, 'button-reject-text': 'x'.repeat(51) }, 'button-reject-text', 'at most 50'],
    [{ msisdn: MSISDN, 'authentication-text': 'x'.repeat(1025) }, 'authentication-text', 'at most 1024'],
    [{ msisdn: MSISDN, 'touch-accept-text': 'x'.repeat(1025) }, 'touch-accept-text', 'at most 1024'],
    [{ msisdn: MSISDN, 'touch-reject-text': 'x'.repeat(1025) }, 'touch-reject-text', 'at most 1024'],
  ])('%j -> %s', async (params, field, reason) => {
    const sms = fakeSmsProvider();
    const response = await callApi(await seedToken(), params as Record<string, string>);
    expect(response.status).toBe(400);
    const body = await response.json<{ code: string; message: string; errors: { field: string; message: string }[] }>();
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.errors[0]?.field).toBe(field);
    expect(body.errors[0]?.message).toContain(reason);
    expect(body.message).toContain(field);
    expect(sms.sent).toHaveLength(0);
  });
});

describe('keys that do not open the endpoint get 401 and nothing is sent', () => {
  const cases: [string, () => Promise<string | null>][] = [
    ['no api-key header', async () => null],
    ['a key without a name', async () => 'just-a-value-without-colon'],
    ['an unknown token name', async () => 'nobody:token-secret-0123456789'],
    ['a wrong secret', async () => (await seedToken({ name: 'app' })).replace(/:.*/, ':wrong-secret-0123456789')],
    ['an expired token', async () => seedToken({ expiresAt: new Date(Date.now() - 1000) })],
    ['a key of another profile', async () => (await seedProfile('other'), seedToken({ profile: 'other' }))],
  ];
  it.each(cases)('%s', async (_, makeKey) => {
    const sms = fakeSmsProvider();
    const response = await callApi(await makeKey(), { msisdn: MSISDN });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(sms.sent).toHaveLength(0);
  });

  it('401 comes before input validation, so callers without a key learn nothing', async () => {
    const response = await callApi(null, { 'touch-timeout': 'x' });
    expect(response.status).toBe(401);
  });
});

it('an unknown endpoint name gets 404', async () => {
  const sms = fakeSmsProvider();
  const response = await callApi(await seedToken(), { msisdn: MSISDN }, 'no-such-endpoint');
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  expect(sms.sent).toHaveLength(0);
});

it('a named endpoint serves its own tokens', async () => {
  const sms = fakeSmsProvider();
  await seedProfile('bank');
  const call = callApi(await seedToken({ profile: 'bank' }), { msisdn: freshMsisdn() }, 'bank');
  await decideLink((await sms.nextSms()).link, 'accept');
  expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
});

describe('provider failure', () => {
  it('answers 502 DELIVERY_FAILED at once, not a hang or a false TIMEOUT', async () => {
    const sms = fakeSmsProvider(500);
    const started = Date.now();
    const response = await callApi(await seedToken(), { msisdn: freshMsisdn(), 'touch-timeout': '30' });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'DELIVERY_FAILED' });
    expect(Date.now() - started).toBeLessThan(5000);
    const page = await SELF.fetch(sms.sent[0]!.link);
    expect(page.status).toBe(410);
  });
});

describe('a caller that hangs up', () => {
  it('cancels its session, so the link stops working', async () => {
    const sms = fakeSmsProvider();
    const abort = new AbortController();
    const call = callApi(await seedToken(), { msisdn: freshMsisdn() }, '', { signal: abort.signal }).catch((e: Error) => e.name);
    const { link } = await sms.nextSms();
    abort.abort();
    expect(await call).toBe('AbortError');
    await vi.waitFor(async () => expect((await SELF.fetch(link)).status).toBe(410), { timeout: 3000 });
    const late = await decideLink(link, 'accept');
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('cancelled');
  });
});

function emptyMessages() {
  return { titleText: '', smsText: '', buttonAcceptText: '', buttonRejectText: '', authenticationText: '', touchAcceptedText: '', touchRejectedText: '' };
}

describe('the key check on a warm isolate', () => {
  it('answers from the isolate cache without reading D1 again (within the 10 s TTL)', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken({ name: 'cached-app' });
    const first = callApi(apiKey, { msisdn: freshMsisdn() });
    await decideLink((await sms.nextSms()).link, 'accept');
    expect((await first).status).toBe(200);
    // Remove the row behind the cache's back: only a D1 read could notice.
    await env.DB.prepare("DELETE FROM api_tokens WHERE name = 'cached-app'").run();
    const second = callApi(apiKey, { msisdn: freshMsisdn() });
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await second).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });
});
