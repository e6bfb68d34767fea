/**
 * SMS_PROVIDERS "46elks,twilio": a message 46elks reports undelivered goes again, with a fresh link, by
 * Twilio; Twilio's reports must carry a valid X-Twilio-Signature; when Twilio fails too, DELIVERY_FAILED at once.
 */
import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callApi, fakeEndpoint, fakeSmsProvider, freshMsisdn, pollFor, seedToken, decideLink } from '../support';

afterEach(() => vi.restoreAllMocks());

const TWILIO_URL = 'https://api.twilio.com/2010-04-01/Accounts/AC-test/Messages.json';
const TWILIO_AUTH_TOKEN = 'twilio-test-auth-token';

function fakeTwilio() {
  const sent: URLSearchParams[] = [];
  fakeEndpoint(TWILIO_URL, async (request) => {
    sent.push(new URLSearchParams(await request.text()));
    return Response.json({ sid: `SM${sent.length}`, status: 'queued' }, { status: 201 });
  });
  let read = 0;
  return { nextSms: () => pollFor(() => (sent[read] ? sent[read++] : undefined), 'Twilio SMS') };
}

/** Twilio's documented signature, computed here independently: HMAC-SHA1(auth token, URL + sorted name+value pairs), base64. */
async function twilioSignature(url: string, params: Record<string, string>): Promise<string> {
  const text = url + Object.keys(params).sort().map((name) => name + params[name]).join('');
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(TWILIO_AUTH_TOKEN), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)))));
}

const postForm = (url: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
  SELF.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params) });

async function signInFailedBy46elks() {
  const elks = fakeSmsProvider();
  const twilio = fakeTwilio();
  const startedAt = Date.now();
  const hangUp = new AbortController();
  const call = callApi(await seedToken(), { msisdn: freshMsisdn(), timeout: '60' }, '', { signal: hangUp.signal });
  const first = await elks.nextSms();
  expect(await (await postForm(first.form.get('whendelivered')!, { id: 'e1', status: 'failed' })).json()).toEqual({ result: 'recorded' });
  const again = await twilio.nextSms();
  return { call, first, again, twilio, startedAt, hangUp };
}

describe('a failed delivery goes on to the next provider', () => {
  it('sends the request again by Twilio with a fresh link, and only that link decides', async () => {
    const { call, first, again } = await signInFailedBy46elks();
    const link = /\S+\/l\/\S+/.exec(again.get('Body') ?? '')?.[0] ?? '';
    expect(again.get('To')).toBe(first.form.get('to'));
    expect(link).not.toBe(first.link);
    expect(again.get('StatusCallback')).toMatch(/^http:\/\/localhost\/api\/sfwa\/delivery\/twilio\/[0-9a-f]{64}\/[A-Za-z0-9_-]{43}$/);
    // The undelivered link was replaced: it no longer answers.
    expect((await decideLink(first.link, 'accept')).status).toBe(404);
    expect((await decideLink(link, 'accept')).status).toBe(200);
    expect(await (await call).json()).toMatchObject({ code: 'ACCEPT' });
  });

  it('takes a Twilio report only with a valid X-Twilio-Signature, once', async () => {
    const { call, again, hangUp } = await signInFailedBy46elks();
    const url = again.get('StatusCallback')!;
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered', AccountSid: 'AC-test' };
    expect((await postForm(url, params)).status).toBe(403);
    expect((await postForm(url, params, { 'x-twilio-signature': await twilioSignature(url, { ...params, MessageStatus: 'failed' }) })).status).toBe(403);
    const signed = await postForm(url, params, { 'x-twilio-signature': await twilioSignature(url, params) });
    expect(await signed.json()).toEqual({ result: 'recorded' });
    expect((await postForm(url, params, { 'x-twilio-signature': await twilioSignature(url, params) })).status).toBe(409);
    // Delivered: the person still has the link, and the call still waits for them.
    let settled = false;
    void call.then(
      () => (settled = true),
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    hangUp.abort();
    await call.catch(() => null);
  });

  it('answers DELIVERY_FAILED at once when the last provider reports a failure too', async () => {
    const { call, again, startedAt } = await signInFailedBy46elks();
    const url = again.get('StatusCallback')!;
    const params = { MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' };
    expect(await (await postForm(url, params, { 'x-twilio-signature': await twilioSignature(url, params) })).json()).toEqual({ result: 'recorded' });
    const answer = await call;
    expect(answer.status).toBe(502);
    expect(await answer.json()).toMatchObject({ code: 'DELIVERY_FAILED' });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});
