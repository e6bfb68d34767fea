/**
 * Strict input: bodies that cannot be parsed or are too large, touch-timeout in decimal digits only,
 * texts without control or bidirectional override characters, repeated slashes in the path. Every
 * refusal names its field and sends nothing.
 */
import { SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorFields, signedInAs } from './admin-client';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, MSISDN, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

const KIB = 1024;
let cloudKey: string;
let serverKey: string;

beforeAll(async () => {
  await seedProfile('strict', { rateLimit: { perMinute: 50, perHour: 100 } });
  await seedProfile('strict-server', { dialect: 'server', rateLimit: { perMinute: 50, perHour: 100 } });
  cloudKey = await seedToken({ profile: 'strict' });
  serverKey = await seedToken({ profile: 'strict-server' });
});

const post = (endpoint: string, apiKey: string, body: BodyInit, contentType: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`http://localhost/api/sfwa/auth/${endpoint}`, { method: 'POST', headers: { 'api-key': apiKey, 'content-type': contentType, ...headers }, body });

type Refusal = { code: string; reason?: string; errors?: { field: string; message: string }[] };

describe('a body that cannot be parsed is 400 naming (body), in both dialects', () => {
  const brokenMultipart = ['--boundary', 'Content-Disposition: form-data; name="msisdn"', '', MSISDN].join('\r\n'); // no closing boundary

  it.each([
    ['cloud', 'strict', () => cloudKey, 'BAD_REQUEST'],
    ['server', 'strict-server', () => serverKey, 'BAD_REQUEST'],
  ])('a malformed multipart body (%s dialect)', async (_, endpoint, key, code) => {
    const sms = fakeSmsProvider();
    const response = await post(endpoint, key(), brokenMultipart, 'multipart/form-data; boundary=boundary');
    expect(response.status).toBe(400);
    const body = await response.json<Refusal>();
    expect(body.code).toBe(code);
    expect(body.errors?.[0]?.field).toBe('(body)');
    expect(sms.sent).toHaveLength(0);
  });

  it('a multipart body without its boundary', async () => {
    const sms = fakeSmsProvider();
    const response = await post('strict', cloudKey, 'msisdn=x', 'multipart/form-data');
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['(body)']);
    expect(sms.sent).toHaveLength(0);
  });

  it('a file in a multipart body is refused by its field name', async () => {
    const sms = fakeSmsProvider();
    const form = new FormData();
    form.set('msisdn', MSISDN);
    form.set('sms-text', new File(['hello'], 'text.txt'));
    const response = await SELF.fetch('http://localhost/api/sfwa/auth/strict', { method: 'POST', headers: { 'api-key': cloudKey }, body: form });
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['sms-text']);
    expect(sms.sent).toHaveLength(0);
  });

  it('a well-formed multipart body works like a form', async () => {
    const sms = fakeSmsProvider();
    const form = new FormData();
    form.set('msisdn', freshMsisdn());
    form.set('sms-text', 'Multipart:');
    const call = SELF.fetch('http://localhost/api/sfwa/auth/strict', { method: 'POST', headers: { 'api-key': cloudKey }, body: form });
    const sent = await sms.nextSms();
    expect(sent.form.get('message')).toMatch(/^Multipart: /);
    await decideLink(sent.link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('an unsupported content type', async () => {
    const response = await post('strict', cloudKey, `msisdn=${MSISDN}`, 'text/plain');
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['(body)']);
  });
});

describe('a body over 64 KiB is 413, before anything is parsed', () => {
  const big = JSON.stringify({ msisdn: MSISDN, 'sms-text': 'x', padding: 'p'.repeat(64 * KIB) });

  it('with a JSON code in the cloud dialect', async () => {
    const sms = fakeSmsProvider();
    const response = await post('strict', cloudKey, big, 'application/json');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('64 KiB') });
    expect(sms.sent).toHaveLength(0);
  });

  it('as BAD_REQUEST in the server dialect, the reason beside it', async () => {
    const sms = fakeSmsProvider();
    const response = await post('strict-server', serverKey, big, 'application/json');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', reason: 'PAYLOAD_TOO_LARGE' });
    expect(sms.sent).toHaveLength(0);
  });

  it('also when the body is streamed without a Content-Length', async () => {
    const sms = fakeSmsProvider();
    const chunk = new TextEncoder().encode('a'.repeat(16 * KIB));
    let sentChunks = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sentChunks++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await post('strict', cloudKey, stream, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(413);
    expect(sms.sent).toHaveLength(0);
  });

  it('a body just under the limit is read as usual', async () => {
    const sms = fakeSmsProvider();
    const body = JSON.stringify({ msisdn: freshMsisdn(), padding: 'p'.repeat(60 * KIB) });
    const call = post('strict', cloudKey, body, 'application/json');
    await decideLink((await sms.nextSms()).link, 'reject');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('the admin API refuses one too', async () => {
    const admin = await signedInAs('admin');
    const response = await admin('POST', '/profiles', { name: 'too-big', padding: 'p'.repeat(64 * KIB) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((await admin('GET', '/profiles/too-big')).status).toBe(404);
  });
});

describe('touch-timeout takes decimal digits only', () => {
  it.each(['0x1', '1e1', ' 1 ', '+1', '-1', '1.0', '', '10s', '٣٠'])('the query value %j is refused', async (value) => {
    const sms = fakeSmsProvider();
    const response = await callApi(cloudKey, { msisdn: MSISDN, 'touch-timeout': value }, 'strict');
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['touch-timeout']);
    expect(sms.sent).toHaveLength(0);
  });

  it.each([true, [1], { seconds: 1 }, 1.5, '1e1', null])('the JSON value %j is refused', async (value) => {
    const sms = fakeSmsProvider();
    const response = await post('strict', cloudKey, JSON.stringify({ msisdn: MSISDN, 'touch-timeout': value }), 'application/json');
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['touch-timeout']);
    expect(sms.sent).toHaveLength(0);
  });

  it.each([
    ['a JSON number', 20],
    ['a JSON string of digits', '20'],
    ['leading zeros', '020'],
  ])('%s is taken', async (_, value) => {
    const sms = fakeSmsProvider();
    const call = post('strict', cloudKey, JSON.stringify({ msisdn: freshMsisdn(), 'touch-timeout': value }), 'application/json');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });
});

describe('texts refuse control and bidirectional override characters', () => {
  it.each([
    ['sms-text', 'Log\u0007in'],
    ['sms-text', 'two\nlines'],
    ['title-text', 'tab\there'],
    ['title-text', 'C1 \u0085 next line'],
    ['button-accept-text', 'OK\u0000'],
    ['button-reject-text', 'No\u001b[31m'],
    ['authentication-text', 'Pay \u202Eredro'],
    ['authentication-text', 'Isolate \u2066x\u2069'],
    ['touch-accept-text', 'Done\u007f'],
    ['touch-reject-text', 'Bell\u0007'],
  ])('%s with %j', async (field, value) => {
    const sms = fakeSmsProvider();
    const response = await post('strict', cloudKey, JSON.stringify({ msisdn: MSISDN, [field]: value }), 'application/json');
    expect(response.status).toBe(400);
    const body = await response.json<Refusal>();
    expect(body.errors).toEqual([{ field, message: expect.stringMatching(/control|bidirectional|single line/) }]);
    expect(sms.sent).toHaveLength(0);
  });

  it('the message names the character found', async () => {
    const response = await post('strict', cloudKey, JSON.stringify({ msisdn: MSISDN, 'title-text': 'a\u202Eb' }), 'application/json');
    expect((await response.json<Refusal>()).errors?.[0]?.message).toBe('must not contain bidirectional override characters (found U+202E)');
  });

  it('the information texts may have several lines', async () => {
    const sms = fakeSmsProvider();
    const msisdn = freshMsisdn();
    const call = post('strict', cloudKey, JSON.stringify({ msisdn, 'authentication-text': 'Pay 100 kr\nto Shop AB?', 'touch-accept-text': 'Paid.\r\nThanks' }), 'application/json');
    const { link } = await sms.nextSms();
    expect(await (await SELF.fetch(link)).text()).toContain('Pay 100 kr\nto Shop AB?');
    await decideLink(link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('a profile text is refused the same way in the admin API, and nothing is saved', async () => {
    const admin = await signedInAs('admin');
    const response = await admin('PATCH', '/profiles/strict', { touchMessages: { titleText: 'Sign\u202Ein', authenticationText: 'ok\nfine' } });
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['touchMessages.titleText']);
    expect((await (await admin('GET', '/profiles/strict')).json<{ touchMessages: { titleText: string } }>()).touchMessages.titleText).toBe('');
  });
});

describe('repeated slashes in the path count as one', () => {
  it.each([
    ['a base URL ending in "/"', 'http://localhost//api/sfwa/auth/strict'],
    ['doubled inside the path', 'http://localhost/api//sfwa///auth/strict'],
  ])('%s', async (_, url) => {
    const sms = fakeSmsProvider();
    const call = SELF.fetch(url, { method: 'POST', headers: { 'api-key': cloudKey, 'content-type': 'application/json' }, body: JSON.stringify({ msisdn: freshMsisdn() }) });
    await decideLink((await sms.nextSms()).link, 'accept');
    const response = await call;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('a caller hanging up on such a path still cancels its session', async () => {
    const sms = fakeSmsProvider();
    const abort = new AbortController();
    const call = SELF.fetch(`http://localhost//api/sfwa/auth/strict?msisdn=${encodeURIComponent(freshMsisdn())}`, { headers: { 'api-key': cloudKey }, signal: abort.signal }).catch((e: Error) => e.name);
    const { link } = await sms.nextSms();
    abort.abort();
    expect(await call).toBe('AbortError');
    await vi.waitFor(async () => expect((await SELF.fetch(link)).status).toBe(410), { timeout: 3000 });
  });
});

describe('an imported token value', () => {
  it('with ":" is refused, naming token, and nothing is imported', async () => {
    const admin = await signedInAs('admin');
    const response = await admin('POST', '/profiles/strict/tokens/import', { name: 'colon-app', token: 'abcdefgh:ijklmnopq' });
    expect(response.status).toBe(400);
    const body = await response.json<Refusal>();
    expect(body.errors).toEqual([{ field: 'token', message: expect.stringContaining('":"') }]);
    const list = await (await admin('GET', '/profiles/strict/tokens')).json<{ items: { name: string }[] }>();
    expect(list.items.map((token) => token.name)).not.toContain('colon-app');
  });
});
