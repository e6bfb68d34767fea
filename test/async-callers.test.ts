/**
 * Callers that cannot hold a connection: `Prefer: respond-async` answers 202 with the session, and
 * GET /api/sfwa/sessions/{session} (optionally `?wait=N`) reads its status with a key of the same profile.
 */
import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

const ASYNC = { headers: { prefer: 'respond-async' } };

const status = (session: string, apiKey: string | null, query = '', init: RequestInit = {}) =>
  SELF.fetch(`http://localhost/api/sfwa/sessions/${session}${query}`, { ...init, headers: { ...(apiKey && { 'api-key': apiKey }), ...init.headers } });

async function startAsync(apiKey: string, params: Record<string, string> = {}, endpoint = '') {
  const sms = fakeSmsProvider();
  const response = await callApi(apiKey, { msisdn: freshMsisdn(), ...params }, endpoint, ASYNC);
  const body = await response.json<{ code: string; session: string; expiresAt: string }>();
  return { sms, response, body };
}

describe('Prefer: respond-async', () => {
  it('answers 202 PENDING at once, with the session, when it expires and where to read it; the SMS is on its way', async () => {
    const before = Date.now();
    const { sms, response, body } = await startAsync(await seedToken(), { 'touch-timeout': '40' });
    expect(response.status).toBe(202);
    expect(body).toEqual({ code: 'PENDING', session: expect.stringMatching(/^[0-9a-f]{64}$/), expiresAt: expect.any(String) });
    const expiresAtMs = Date.parse(body.expiresAt);
    expect(expiresAtMs).toBeGreaterThanOrEqual(before + 40_000);
    expect(expiresAtMs).toBeLessThan(Date.now() + 41_000);
    expect(response.headers.get('location')).toBe(`http://localhost/api/sfwa/sessions/${body.session}`);
    expect(response.headers.get('preference-applied')).toBe('respond-async');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await sms.nextSms()).link).toContain(`/l/${body.session}/`);
  });

  it('works with POST, and the Prefer header may carry other preferences beside it', async () => {
    const sms = fakeSmsProvider();
    const response = await SELF.fetch('http://localhost/api/sfwa/auth', {
      method: 'POST',
      headers: { 'api-key': await seedToken(), 'content-type': 'application/json', prefer: 'return=minimal, respond-async' },
      body: JSON.stringify({ msisdn: freshMsisdn() }),
    });
    expect(response.status).toBe(202);
    await sms.nextSms();
  });

  it('does not cancel when the caller goes away: the link keeps working and the outcome waits to be read', async () => {
    const apiKey = await seedToken();
    const { sms, body } = await startAsync(apiKey);
    const { link } = await sms.nextSms();
    expect((await decideLink(link, 'accept')).status).toBe(200);
    const read = await status(body.session, apiKey);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ code: 'ACCEPT', session: body.session, channel: 'sms', receipt: expect.any(String) });
  });

  it('with wait=N holds up to N seconds and answers the outcome itself when it comes in time', async () => {
    const sms = fakeSmsProvider();
    const call = callApi(await seedToken(), { msisdn: freshMsisdn() }, '', { headers: { prefer: 'respond-async, wait=10' } });
    const { link } = await sms.nextSms();
    await decideLink(link, 'reject');
    const response = await call;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'REJECT', session: expect.any(String), channel: 'sms', receipt: expect.any(String) });
  });

  it('with wait=N answers 202 after N seconds when the person has not answered', async () => {
    fakeSmsProvider();
    const startedMs = Date.now();
    const response = await callApi(await seedToken(), { msisdn: freshMsisdn() }, '', { headers: { prefer: 'respond-async; wait=1' } });
    expect(response.status).toBe(202);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(900);
  });

  it('refuses as the synchronous call does before anything is sent: a bad number is 400 naming msisdn', async () => {
    const sms = fakeSmsProvider();
    const response = await callApi(await seedToken(), { msisdn: 'not-a-number' }, '', ASYNC);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'msisdn' }] });
    expect(sms.sent).toHaveLength(0);
  });

  it('answers DELIVERY_FAILED at once when the SMS cannot be sent, instead of a 202 for a session nobody can answer', async () => {
    fakeSmsProvider(500);
    const response = await callApi(await seedToken(), { msisdn: freshMsisdn() }, '', ASYNC);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'DELIVERY_FAILED' });
  });

  it('keeps the server dialect: PENDING on the start, Mideye Server codes in the status', async () => {
    await seedProfile('async-server', { dialect: 'server' });
    const apiKey = await seedToken({ profile: 'async-server' });
    const { sms, response, body } = await startAsync(apiKey, {}, 'async-server');
    expect(response.status).toBe(202);
    expect(body.code).toBe('PENDING');
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await status(body.session, apiKey)).json()).toEqual({ code: 'TOUCH_ACCEPTED', session: body.session });
  });
});

describe('GET /api/sfwa/sessions/{session}', () => {
  it('answers PENDING while the person decides, then the outcome', async () => {
    const apiKey = await seedToken();
    const { sms, body } = await startAsync(apiKey);
    const pending = await status(body.session, apiKey);
    expect(pending.status).toBe(200);
    expect(pending.headers.get('cache-control')).toBe('no-store');
    expect(await pending.json()).toEqual({ code: 'PENDING', session: body.session, expiresAt: body.expiresAt });
    await decideLink((await sms.nextSms()).link, 'reject');
    expect(await (await status(body.session, apiKey)).json()).toEqual({ code: 'REJECT', session: body.session, channel: 'sms', receipt: expect.any(String) });
  });

  it('is read with any key of the profile that started it', async () => {
    const { body } = await startAsync(await seedToken());
    const otherKeyOfTheProfile = await seedToken({ secret: 'another-secret-0123456789' });
    expect((await status(body.session, otherKeyOfTheProfile)).status).toBe(200);
  });

  it('answers 404 to a key of another profile, a wrong key, no key, an unknown session and a malformed id alike', async () => {
    const { body } = await startAsync(await seedToken());
    await seedProfile('someone-else');
    const foreignKey = await seedToken({ profile: 'someone-else' });
    const unknown = 'a'.repeat(64);
    const answers = await Promise.all([
      status(body.session, foreignKey),
      status(body.session, 'app:wrong-secret-0123456789'),
      status(body.session, null),
      status(unknown, foreignKey),
      status('not-a-session', foreignKey),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('with ?wait=N holds until the outcome comes', async () => {
    const apiKey = await seedToken();
    const { sms, body } = await startAsync(apiKey);
    const reading = status(body.session, apiKey, '?wait=20');
    const { link } = await sms.nextSms();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const decidedAtMs = Date.now();
    await decideLink(link, 'accept');
    const answer = await reading;
    expect(await answer.json()).toEqual({ code: 'ACCEPT', session: body.session, channel: 'sms', receipt: expect.any(String) });
    expect(Date.now() - decidedAtMs).toBeLessThan(5000);
  });

  it('with ?wait=N answers PENDING after N seconds when nothing happened', async () => {
    const apiKey = await seedToken();
    const { body } = await startAsync(apiKey);
    const startedMs = Date.now();
    const answer = await status(body.session, apiKey, '?wait=1');
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(900);
    expect(await answer.json()).toMatchObject({ code: 'PENDING' });
  });

  it('refuses a wait outside 1–25 whole seconds, naming wait', async () => {
    const apiKey = await seedToken();
    const { body } = await startAsync(apiKey);
    for (const wait of ['0', '26', '1.5', 'abc', '']) {
      const answer = await status(body.session, apiKey, `?wait=${wait}`);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'wait' }] });
    }
  });

  it('answers TIMEOUT once the deadline passed', async () => {
    const apiKey = await seedToken();
    const { body } = await startAsync(apiKey, { 'touch-timeout': '1' });
    const answer = await status(body.session, apiKey, '?wait=5');
    expect(await answer.json()).toEqual({ code: 'TIMEOUT', session: body.session, channel: 'sms', receipt: expect.any(String) });
  });

  it('DELETE cancels it: the link stops working and the status says TIMEOUT', async () => {
    const apiKey = await seedToken();
    const { sms, body } = await startAsync(apiKey);
    const { link } = await sms.nextSms();
    const cancelled = await status(body.session, apiKey, '', { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ code: 'TIMEOUT', session: body.session });
    expect((await decideLink(link, 'accept')).status).toBe(410);
    expect(await (await status(body.session, apiKey)).json()).toMatchObject({ code: 'TIMEOUT' });
  });

  it('DELETE with a key of another profile changes nothing', async () => {
    const apiKey = await seedToken();
    const { sms, body } = await startAsync(apiKey);
    await seedProfile('not-the-owner');
    expect((await status(body.session, await seedToken({ profile: 'not-the-owner' }), '', { method: 'DELETE' })).status).toBe(404);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await status(body.session, apiKey)).json()).toMatchObject({ code: 'ACCEPT' });
  });

  it('blocks the number after "this wasn\'t me" even though nobody waited on the call', async () => {
    const apiKey = await seedToken();
    const msisdn = freshMsisdn();
    const { sms, body } = await startAsync(apiKey, { msisdn });
    await decideLink((await sms.nextSms()).link, 'report');
    expect(await (await status(body.session, apiKey, '?wait=5')).json()).toMatchObject({ code: 'REJECT', reason: 'unexpected' });
    await vi.waitFor(async () => {
      const again = await callApi(apiKey, { msisdn }, '', ASYNC);
      expect(again.status).toBe(429);
      expect(await again.json()).toMatchObject({ reason: 'blocked' });
    });
  });
});
