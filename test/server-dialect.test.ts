/**
 * Drop-in compatibility with Mideye Server integrations: a profile in the `server` dialect answers
 * its codes, takes its touch-timeout range, and every refusal says BAD_REQUEST with the reason beside it.
 * Bare api-key values (no `name:` prefix) work in both dialects.
 */
import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { removeToken } from '../src/admin/tokens';
import { findProfile } from '../src/store/profiles';
import { type Caller, json, signedInAs } from './admin-client';
import { callApi, db, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

const UUID_KEY = 'c3859cad-479a-4d65-9253-459ea4a12b34';
const sessionOf = (link: string) => {
  const [, , id, secret] = new URL(link).pathname.split('/');
  return { stub: env.AUTH_SESSION.get(env.AUTH_SESSION.idFromString(id!)), secret: secret! };
};

let serverKey: string;
beforeAll(async () => {
  await seedProfile('legacy', { dialect: 'server', rateLimit: { perMinute: 2, perHour: 10 } });
  serverKey = await seedToken({ profile: 'legacy', name: 'imported-uuid', secret: UUID_KEY });
});
afterEach(() => vi.restoreAllMocks());

describe('a server-dialect profile answers in Mideye Server codes', () => {
  it.each([
    ['accept', 'TOUCH_ACCEPTED'],
    ['reject', 'TOUCH_REJECTED'],
  ])('%s -> %s, HTTP 200', async (decision, code) => {
    const sms = fakeSmsProvider();
    const call = callApi(UUID_KEY, { msisdn: freshMsisdn() }, 'legacy');
    await decideLink((await sms.nextSms()).link, decision);
    const response = await call;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code });
  });

  it('no answer within touch-timeout (15 s, its minimum) -> USER_NOT_RESPONDED', async () => {
    fakeSmsProvider();
    const started = Date.now();
    const response = await callApi(UUID_KEY, { msisdn: freshMsisdn(), 'touch-timeout': '15' }, 'legacy');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'USER_NOT_RESPONDED' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(15_000);
  }, 30_000);

  it('a message the provider refuses -> FAILED_DELIVERY, HTTP 200, at once', async () => {
    fakeSmsProvider(500);
    const response = await callApi(UUID_KEY, { msisdn: freshMsisdn(), 'touch-timeout': '60' }, 'legacy');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'FAILED_DELIVERY', message: 'The authentication message could not be delivered' });
  });

  it('without touch-timeout the user has 60 s; 15 and 300 are accepted', async () => {
    for (const [given, seconds] of [[undefined, 60], ['15', 15], ['300', 300]] as const) {
      const sms = fakeSmsProvider();
      const before = Date.now();
      const call = callApi(UUID_KEY, { msisdn: freshMsisdn(), ...(given && { 'touch-timeout': given }) }, 'legacy');
      const { link } = await sms.nextSms();
      const { stub, secret } = sessionOf(link);
      const view = await stub.view(secret);
      expect(view!.deadlineMs - before).toBeGreaterThanOrEqual(seconds * 1000);
      expect(view!.deadlineMs - Date.now()).toBeLessThanOrEqual(seconds * 1000);
      await decideLink(link, 'accept');
      expect(await (await call).json()).toEqual({ code: 'TOUCH_ACCEPTED' });
      vi.restoreAllMocks();
    }
  });
});

describe('server-dialect refusals: code BAD_REQUEST, the reason beside it, nothing sent', () => {
  it.each([
    ['14', 'at least 15'],
    ['301', 'at most 300'],
    ['1.5', 'whole number'],
  ])('touch-timeout %s', async (timeout, reason) => {
    const sms = fakeSmsProvider();
    const response = await callApi(UUID_KEY, { msisdn: freshMsisdn(), 'touch-timeout': timeout }, 'legacy');
    expect(response.status).toBe(400);
    const body = await response.json<{ code: string; reason: string; errors: { field: string; message: string }[]; message: string }>();
    expect(body).toMatchObject({ code: 'BAD_REQUEST', reason: 'BAD_REQUEST', errors: [{ field: 'touch-timeout' }] });
    expect(body.errors[0]!.message).toContain(reason);
    expect(body.message).toContain('touch-timeout');
    expect(sms.sent).toHaveLength(0);
  });

  it('a missing phone number', async () => {
    const response = await callApi(UUID_KEY, {}, 'legacy');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', reason: 'BAD_REQUEST', errors: [{ field: 'msisdn', message: 'is required' }] });
  });

  it.each([
    ['no api-key', null],
    ['an unknown bare value', 'd0e1f2a3-0000-4000-8000-000000000000'],
    ['a wrong secret for a known name', 'imported-uuid:not-the-right-value'],
  ])('%s', async (_, key) => {
    const sms = fakeSmsProvider();
    const response = await callApi(key, { msisdn: freshMsisdn() }, 'legacy');
    expect(response.status).toBe(401);
    const body = await response.json<{ code: string; reason: string; message: string }>();
    expect(body).toMatchObject({ code: 'BAD_REQUEST', reason: 'UNAUTHORIZED' });
    expect(body.message).toContain('api-key');
    expect(sms.sent).toHaveLength(0);
  });

  it('too many requests for one number', async () => {
    const sms = fakeSmsProvider();
    const msisdn = freshMsisdn();
    for (let i = 0; i < 2; i += 1) {
      const call = callApi(UUID_KEY, { msisdn }, 'legacy');
      await decideLink((await sms.nextSms()).link, 'reject');
      await call;
    }
    const response = await callApi(UUID_KEY, { msisdn }, 'legacy');
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', reason: 'RATE_LIMITED', message: expect.stringContaining('Too many requests') });
    expect(sms.sent).toHaveLength(2);
  });

  it('an unknown endpoint has no dialect, so it answers NOT_FOUND', async () => {
    const response = await callApi(UUID_KEY, { msisdn: freshMsisdn() }, 'no-such-legacy');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the cloud dialect is unchanged', () => {
  it('keeps 1–60 s and answers refusals with their own codes', async () => {
    fakeSmsProvider();
    const key = await seedToken();
    const tooLong = await callApi(key, { msisdn: freshMsisdn(), 'touch-timeout': '61' });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'touch-timeout', message: 'must be at most 60' }] });
    const noKey = await callApi(null, { msisdn: freshMsisdn() });
    expect(await noKey.json()).toEqual({ code: 'UNAUTHORIZED', message: expect.any(String) });
  });
});

describe('bare api-key values', () => {
  it('work in the server dialect with or without the name prefix', async () => {
    const sms = fakeSmsProvider();
    const call = callApi(serverKey, { msisdn: freshMsisdn() }, 'legacy');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'TOUCH_ACCEPTED' });
  });

  it('work in the cloud dialect too', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('cloud-bare');
    await seedToken({ profile: 'cloud-bare', secret: 'bare-cloud-value-0123456789' });
    const call = callApi('bare-cloud-value-0123456789', { msisdn: freshMsisdn() }, 'cloud-bare');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('may contain a colon (imported before such values were refused at import), and still match by value', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('colon');
    await seedToken({ profile: 'colon', name: 'legacy-colon', secret: 'part-one:part-two-0123' });
    const call = callApi('part-one:part-two-0123', { msisdn: freshMsisdn() }, 'colon');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('are refused when two tokens of the profile share the value (ambiguous), and when expired', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('twins');
    await seedToken({ profile: 'twins', name: 'twin-one', secret: 'shared-value-0123456789' });
    await seedToken({ profile: 'twins', name: 'twin-two', secret: 'shared-value-0123456789' });
    expect((await callApi('shared-value-0123456789', { msisdn: freshMsisdn() }, 'twins')).status).toBe(401);
    // The prefixed form names which one is meant, so it still works.
    const call = callApi('twin-one:shared-value-0123456789', { msisdn: freshMsisdn() }, 'twins');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

    await seedToken({ profile: 'twins', name: 'old', secret: 'expired-value-0123456789', expiresAt: new Date(Date.now() - 1000) });
    expect((await callApi('expired-value-0123456789', { msisdn: freshMsisdn() }, 'twins')).status).toBe(401);
  });

  it('of another profile are refused', async () => {
    const sms = fakeSmsProvider();
    const response = await callApi(UUID_KEY, { msisdn: freshMsisdn() });
    expect(response.status).toBe(401);
    expect(sms.sent).toHaveLength(0);
  });

  it('stop working at once in this isolate when their token is deleted, though the lookup is cached', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('deleting');
    await seedToken({ profile: 'deleting', name: 'goner', secret: 'deleted-value-0123456789' });
    const call = callApi('deleted-value-0123456789', { msisdn: freshMsisdn() }, 'deleting');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect((await call).status).toBe(200);
    await removeToken(db(), (await findProfile(db(), 'deleting'))!, 'goner', { username: 'test', address: null });
    expect((await callApi('deleted-value-0123456789', { msisdn: freshMsisdn() }, 'deleting')).status).toBe(401);
  });
});

describe('administrators set the dialect', () => {
  let asAdmin: Caller;
  beforeAll(async () => {
    asAdmin = await signedInAs('admin');
  });

  it('through the JSON API: cloud by default, server on request, anything else refused naming the field', async () => {
    expect(await json(await asAdmin('POST', '/profiles', { name: 'migrating' }))).toMatchObject({ dialect: 'cloud' });
    const patched = await asAdmin('PATCH', '/profiles/migrating', { dialect: 'server' });
    expect(await json(patched)).toMatchObject({ dialect: 'server' });
    const refused = await asAdmin('PATCH', '/profiles/migrating', { dialect: 'mideye' });
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'dialect', message: 'must be one of: cloud, server' }] });
    expect(await json(await asAdmin('GET', '/profiles/migrating'))).toMatchObject({ dialect: 'server' });
  });

  it('and the endpoint answers in it at once', async () => {
    const sms = fakeSmsProvider();
    await asAdmin('POST', '/profiles', { name: 'switching' });
    await seedToken({ profile: 'switching', secret: 'switching-value-0123456789' });
    const first = callApi('switching-value-0123456789', { msisdn: freshMsisdn() }, 'switching');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await first).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    await asAdmin('PATCH', '/profiles/switching', { dialect: 'server' });
    const second = callApi('switching-value-0123456789', { msisdn: freshMsisdn() }, 'switching');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await second).json()).toEqual({ code: 'TOUCH_ACCEPTED' });
  });

  it('importing a value another token of the profile already has is refused, naming that token', async () => {
    await asAdmin('POST', '/profiles', { name: 'importing' });
    expect((await asAdmin('POST', '/profiles/importing/tokens/import', { name: 'first', token: UUID_KEY })).status).toBe(201);
    const again = await asAdmin('POST', '/profiles/importing/tokens/import', { name: 'second', token: UUID_KEY });
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'token', message: 'is already the value of token "first" on this profile' }] });
    const listed = await json(await asAdmin('GET', '/profiles/importing/tokens'));
    expect(listed.items.map((token: { name: string }) => token.name)).toEqual(['first']);
  });
});

it('SELF answers the Mideye Server example request unchanged', async () => {
  // The README's example: GET with an unencoded + and a UUID api-key, as their curl sample sends it.
  const sms = fakeSmsProvider();
  const call = SELF.fetch('http://localhost/api/sfwa/auth/legacy?msisdn=%2B46701234567', { headers: { 'api-key': UUID_KEY } });
  await decideLink((await sms.nextSms()).link, 'accept');
  expect(await (await call).text()).toBe('{"code":"TOUCH_ACCEPTED"}');
});
