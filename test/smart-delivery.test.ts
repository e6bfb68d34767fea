/**
 * Smart delivery: push to the number's activated devices, SMS otherwise or when every push fails;
 * signed device answers (first valid one wins), the pending-request pull, number matching, and
 * "this wasn't me" with its block. Push goes through the real webhook adapter, faked at fetch.
 */
import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedText } from '../src/domain/device';
import { signedInAs } from './admin-client';
import { activateTestDevice, newTestDevice, type ActivatedTestDevice } from './device-support';
import { fakePushRelay } from './push-support';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

let profiles = 0;
/** A profile of its own (no shared rate limits) and a key for it. */
async function endpoint(settings: Parameters<typeof seedProfile>[1] = {}) {
  const name = `smart-${++profiles}`;
  await seedProfile(name, { rateLimit: { perMinute: 20, perHour: 100 }, ...settings });
  return { name, key: await seedToken({ profile: name }) };
}

const postJson = (path: string, body: unknown) =>
  SELF.fetch(`http://localhost/api/plus/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The device's signed answer, as the app sends it. */
async function answer(device: ActivatedTestDevice, sessionId: string, decision: 'accept' | 'reject' | 'report', matchCode?: string) {
  const signed = await device.signRequest('decision', [sessionId, device.deviceId, decision, matchCode ?? '']);
  return { ...signed, decision, ...(matchCode && { matchCode }) };
}
const sendAnswer = (sessionId: string, body: unknown) => postJson(`/sessions/${sessionId}/decision`, body);

/** Whether the session is listed for the app's pending pull (recorded once its push went out). */
const listedForPull = async (sessionId: string) => (await env.DB.prepare('SELECT 1 AS found FROM push_sessions WHERE session_id = ?').bind(sessionId).first()) !== null;

describe('a number with the app activated gets a push, not an SMS', () => {
  it('pushes title, text, labels, profile, deadline and context (no secrets), and the signed Accept answers ACCEPT with channel push', async () => {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint({ touchMessages: { titleText: 'Bank login', smsText: '', buttonAcceptText: 'Yes', buttonRejectText: 'No', authenticationText: 'Log in to the bank?', touchAcceptedText: '', touchRejectedText: '' } });
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn, { platform: 'ios' });
    const started = Date.now();
    const call = callApi(key, { msisdn, 'touch-timeout': '45' }, name);

    const push = await relay.nextPush();
    expect(push.device).toEqual({ id: device.deviceId, platform: 'ios', pushToken: device.pushToken });
    expect(push.message).toMatchObject({ title: 'Bank login', body: 'Log in to the bank?', acceptLabel: 'Yes', rejectLabel: 'No', profileName: name, matchRequired: false });
    expect(push.message.sessionId).toMatch(/^[0-9a-f]{64}$/);
    expect(push.message.deadlineMs - started).toBeGreaterThanOrEqual(44_000);
    expect(push.message.context?.requestedAtMs).toBeGreaterThanOrEqual(started);
    expect(push.headers.get('x-sfwa-signature')).toMatch(/^v1=[0-9a-f]{64}$/);

    const decided = await sendAnswer(push.message.sessionId, await answer(device, push.message.sessionId, 'accept'));
    expect(decided.status).toBe(200);
    expect(await decided.json()).toEqual({ status: 'accepted' });
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
    expect(sms.sent).toHaveLength(0);
  });

  it('Reject from the app answers REJECT', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn }, name);
    const { message } = await relay.nextPush();
    await sendAnswer(message.sessionId, await answer(device, message.sessionId, 'reject'));
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'push', receipt: expect.any(String) });
  });

  it('a number without the app gets the SMS, with an activation link when the profile offers them', async () => {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay();
    const offering = await endpoint();
    const call = callApi(offering.key, { msisdn: freshMsisdn() }, offering.name);
    const sent = await sms.nextSms();
    const [first, second] = sent.form.get('message')!.split('\n');
    expect(first).toBe(`Godkänn inloggning: ${sent.link}`);
    expect(second).toMatch(/^Skaffa appen och godkänn med ett tryck: http:\/\/localhost\/plus\/activate\/[A-Za-z0-9_-]{22}$/);
    // The link in the SMS activates the app for exactly this number.
    const code = second!.split('/').pop()!;
    const page = await SELF.fetch(`http://localhost/plus/activate/${code}`);
    expect(page.status).toBe(200);
    await decideLink(sent.link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

    const quiet = await endpoint({ plusActivationLinks: false });
    const second_call = callApi(quiet.key, { msisdn: freshMsisdn() }, quiet.name);
    const plain = await sms.nextSms();
    expect(plain.form.get('message')).toBe(`Godkänn inloggning: ${plain.link}`);
    await decideLink(plain.link, 'reject');
    await second_call;
    expect(relay.sent).toHaveLength(0);
  });

  it('"Use Mideye+ if activated" off: SMS even for an activated number, and no activation link', async () => {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint({ usePlusIfActivated: false });
    const msisdn = freshMsisdn();
    await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn }, name);
    const sent = await sms.nextSms();
    expect(sent.form.get('message')).toBe(`Godkänn inloggning: ${sent.link}`);
    await decideLink(sent.link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    expect(relay.sent).toHaveLength(0);
  });

  it('a deactivated device gets no more pushes: the next request goes by SMS at once', async () => {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const first = callApi(key, { msisdn }, name);
    const { message } = await relay.nextPush();
    await sendAnswer(message.sessionId, await answer(device, message.sessionId, 'accept'));
    await first;
    expect((await postJson('/deactivate', await device.signRequest('deactivate', [device.deviceId]))).status).toBe(200);
    const second = callApi(key, { msisdn }, name);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await second).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    expect(relay.sent).toHaveLength(1);
  });
});

describe('falling back to SMS when no push gets through', () => {
  it('a relay error: the same session goes on by SMS, the caller sees only the channel', async () => {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay(() => 500);
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn }, name);
    const push = await relay.nextPush();
    const sent = await sms.nextSms();
    // Same session: the magic link names the session the push was for.
    expect(sent.link).toContain(`/l/${push.message.sessionId}/`);
    // The number has the app, so the fallback SMS does not offer to activate it again.
    expect(sent.form.get('message')).toBe(`Godkänn inloggning: ${sent.link}`);
    await decideLink(sent.link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('a device whose push token is no longer valid is deactivated, and the session goes by SMS', async () => {
    const sms = fakeSmsProvider();
    fakePushRelay(() => 410);
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn }, name);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    await vi.waitFor(async () => expect(await env.DB.prepare('SELECT id FROM devices WHERE id = ?').bind(device.deviceId).first()).toBeNull());
  });

  it('one of two devices failing is enough: the other gets the push and there is no SMS', async () => {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay((token) => (token.startsWith('broken') ? 500 : 200));
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    await activateTestDevice(msisdn, { pushToken: 'broken-token' });
    const working = await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn }, name);
    const pushes = [await relay.nextPush(), await relay.nextPush()];
    const sessionId = pushes[0]!.message.sessionId;
    await sendAnswer(sessionId, await answer(working, sessionId, 'accept'));
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
    expect(sms.sent).toHaveLength(0);
  });
});

describe('several devices on one number', () => {
  it('all get the push; the first valid answer wins and the others find it already answered', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const phone = await activateTestDevice(msisdn, { platform: 'android' });
    const tablet = await activateTestDevice(msisdn, { platform: 'ios' });
    const call = callApi(key, { msisdn }, name);
    const pushes = [await relay.nextPush(), await relay.nextPush()];
    expect(pushes.map((push) => push.device.id).sort()).toEqual([phone.deviceId, tablet.deviceId].sort());
    const sessionId = pushes[0]!.message.sessionId;
    expect(pushes[1]!.message.sessionId).toBe(sessionId);

    expect((await sendAnswer(sessionId, await answer(tablet, sessionId, 'accept'))).status).toBe(200);
    const late = await sendAnswer(sessionId, await answer(phone, sessionId, 'reject'));
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'CONFLICT', message: 'This request has already been answered' });
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
  });
});

describe('a device deactivated or re-keyed while a request waits', () => {
  async function pushedTo(device: ActivatedTestDevice, name: string, key: string, relay: ReturnType<typeof fakePushRelay>) {
    const abort = new AbortController();
    const call = callApi(key, { msisdn: device.msisdn, 'touch-timeout': '60' }, name, { signal: abort.signal }).catch(() => null);
    const { message } = await relay.nextPush();
    return { sessionId: message.sessionId, hangUp: async () => (abort.abort(), call) };
  }

  it('cannot answer it after the app deactivated it', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const device = await activateTestDevice(freshMsisdn());
    const { sessionId, hangUp } = await pushedTo(device, name, key, relay);
    expect((await postJson('/deactivate', await device.signRequest('deactivate', [device.deviceId]))).status).toBe(200);
    expect((await sendAnswer(sessionId, await answer(device, sessionId, 'accept'))).status).toBe(401);
    await hangUp();
  });

  it('cannot answer it after an administrator deactivated it', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const device = await activateTestDevice(freshMsisdn());
    const { sessionId, hangUp } = await pushedTo(device, name, key, relay);
    const asAdmin = await signedInAs('admin');
    expect((await asAdmin('DELETE', `/devices/${device.deviceId}`)).status).toBe(204);
    expect((await sendAnswer(sessionId, await answer(device, sessionId, 'accept'))).status).toBe(401);
    await hangUp();
  });

  it('cannot answer it with its old key after the installation was activated again with a new one', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const device = await activateTestDevice(freshMsisdn());
    const { sessionId, hangUp } = await pushedTo(device, name, key, relay);
    const again = await activateTestDevice(device.msisdn, { installationId: device.installationId });
    expect(again.deviceId).toBe(device.deviceId);
    expect((await sendAnswer(sessionId, await answer(device, sessionId, 'accept'))).status).toBe(401);
    await hangUp();
  });

  it('an answered request leaves the pending list at once', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const device = await activateTestDevice(freshMsisdn());
    const call = callApi(key, { msisdn: device.msisdn }, name);
    const { message } = await relay.nextPush();
    await vi.waitFor(async () => expect(await listedForPull(message.sessionId)).toBe(true));
    await sendAnswer(message.sessionId, await answer(device, message.sessionId, 'accept'));
    await call;
    await vi.waitFor(async () => expect(await listedForPull(message.sessionId)).toBe(false));
  });
});

describe('signed answers', () => {
  async function pendingPush() {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn, 'touch-timeout': '60' }, name);
    const { message } = await relay.nextPush();
    return { device, call, sessionId: message.sessionId };
  }

  it('are refused when signed with another key, tampered with, stale, or from another number, and the request stays open', async () => {
    const { device, call, sessionId } = await pendingPush();
    const stranger = await newTestDevice();
    const refusals = [
      // Signed with a key that is not the device's.
      { ...(await answer(device, sessionId, 'accept')), signature: await stranger.sign(signedText('decision', [sessionId, device.deviceId, 'accept', ''], Date.now())) },
      // Signed "reject", sent as "accept".
      { ...(await answer(device, sessionId, 'reject')), decision: 'accept' },
      // 61 s old.
      await (async () => {
        const timestamp = Date.now() - 61_000;
        return { ...(await device.signRequest('decision', [sessionId, device.deviceId, 'accept', ''], timestamp)), decision: 'accept' };
      })(),
      // A correctly signed answer from a device of another number.
      await answer(await activateTestDevice(freshMsisdn()), sessionId, 'accept'),
    ];
    for (const body of refusals) {
      const response = await sendAnswer(sessionId, body);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect((await sendAnswer(sessionId, await answer(device, sessionId, 'accept'))).status).toBe(200);
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
  });

  it('are refused when replayed', async () => {
    const { device, call, sessionId } = await pendingPush();
    const body = await answer(device, sessionId, 'reject');
    expect((await sendAnswer(sessionId, body)).status).toBe(200);
    expect((await sendAnswer(sessionId, body)).status).toBe(401);
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'push', receipt: expect.any(String) });
  });

  it('for a session that does not exist get 404, and malformed ones 400 naming the field', async () => {
    const device = await activateTestDevice(freshMsisdn());
    const unknown = env.AUTH_SESSION.newUniqueId().toString();
    expect((await sendAnswer(unknown, await answer(device, unknown, 'accept'))).status).toBe(404);
    const bad = await sendAnswer(unknown, { ...(await answer(device, unknown, 'accept')), decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'decision' }] });
  });
});

describe('the pending-request pull (for a lost notification)', () => {
  it('lists the open requests for the signed device, refuses a replayed pull, and forgets answered ones', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn, 'match-code': '42' }, name);
    const { message } = await relay.nextPush();

    const pending = await vi.waitFor(async () => {
      const response = await postJson('/pending', await device.signRequest('pending', [device.deviceId]));
      const { requests } = await response.json<{ requests: { sessionId: string; matchChoices: string[] }[] }>();
      if (!requests.length) throw new Error('not recorded yet');
      return requests;
    });
    expect(pending).toEqual([expect.objectContaining({ sessionId: message.sessionId, profileName: name, matchRequired: true, matchChoices: expect.arrayContaining(['42']) })]);
    expect(pending[0]!.matchChoices).toHaveLength(3);

    const pull = await device.signRequest('pending', [device.deviceId]);
    expect((await postJson('/pending', pull)).status).toBe(200);
    const replayed = await postJson('/pending', pull);
    expect(replayed.status).toBe(401);

    // Another number's device sees nothing of it.
    const other = await activateTestDevice(freshMsisdn());
    expect(await (await postJson('/pending', await other.signRequest('pending', [other.deviceId]))).json()).toEqual({ requests: [] });

    await sendAnswer(message.sessionId, await answer(device, message.sessionId, 'accept', '42'));
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
    expect(await (await postJson('/pending', await device.signRequest('pending', [device.deviceId]))).json()).toEqual({ requests: [] });
  });
});

describe('number matching (match-code)', () => {
  it('the app must send the number the caller showed: right -> ACCEPT, wrong -> REJECT with reason', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);

    const right = callApi(key, { msisdn, 'match-code': '07' }, name);
    const first = await relay.nextPush();
    expect(first.message).toMatchObject({ matchRequired: true, matchChoices: expect.arrayContaining(['07']) });
    await sendAnswer(first.message.sessionId, await answer(device, first.message.sessionId, 'accept', '07'));
    expect(await (await right).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });

    const wrong = callApi(key, { msisdn, 'match-code': '07' }, name);
    const second = await relay.nextPush();
    const decoy = second.message.matchChoices!.find((choice) => choice !== '07')!;
    await sendAnswer(second.message.sessionId, await answer(device, second.message.sessionId, 'accept', decoy));
    expect(await (await wrong).json()).toEqual({ code: 'REJECT', channel: 'push', reason: 'match-mismatch', receipt: expect.any(String) });
  });

  it('the magic-link page asks for the number among three instead of a plain Accept', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ plusActivationLinks: false });
    const call = callApi(key, { msisdn: freshMsisdn(), 'match-code': '42' }, name);
    const { link } = await sms.nextSms();
    const html = await (await SELF.fetch(link)).text();
    const choices = [...html.matchAll(/name="match" value="(\d\d)"/g)].map((match) => match[1]);
    expect(choices).toHaveLength(3);
    expect(choices).toContain('42');
    expect(new Set(choices).size).toBe(3);
    expect(html).not.toContain('value="accept">');
    // Accept without a number does not count as Accept.
    const page = await SELF.fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=accept&match=' + choices.find((c) => c !== '42') });
    expect(await page.text()).toContain('Wrong number');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', reason: 'match-mismatch', receipt: expect.any(String) });
  });

  it('with the right number on the page -> ACCEPT', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ plusActivationLinks: false });
    const call = callApi(key, { msisdn: freshMsisdn(), 'match-code': '42' }, name);
    const { link } = await sms.nextSms();
    await SELF.fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=accept&match=42' });
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('is refused unless two digits, naming the field', async () => {
    const { name, key } = await endpoint();
    const response = await callApi(key, { msisdn: freshMsisdn(), 'match-code': '7' }, name);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'match-code', message: 'must be two digits, e.g. 42' }] });
  });
});

describe('"This wasn\'t me"', () => {
  it('from the app: REJECT with reason, marked in the log, and the number blocked for the profile (answered as rate limited)', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint({ unexpectedBlockMinutes: 30 });
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn }, name);
    const { message } = await relay.nextPush();
    await sendAnswer(message.sessionId, await answer(device, message.sessionId, 'report'));
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'push', reason: 'unexpected', receipt: expect.any(String) });

    const blocked = await vi.waitFor(async () => {
      const response = await callApi(key, { msisdn }, name);
      if (response.status !== 429) throw new Error(`not blocked yet: ${response.status}`);
      return response;
    });
    expect(await blocked.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(29 * 60);
    expect(retryAfter).toBeLessThanOrEqual(30 * 60);
    expect(relay.sent).toHaveLength(1);

    await vi.waitFor(async () => {
      const row = await env.DB.prepare('SELECT outcome, reason, channel FROM auth_log WHERE session_id = ?').bind(message.sessionId).first();
      expect(row).toEqual({ outcome: 'REJECT', reason: 'unexpected', channel: 'push' });
    });

    // Another profile is not blocked for that number.
    const other = await endpoint();
    const elsewhere = callApi(other.key, { msisdn }, other.name);
    const next = await relay.nextPush();
    await sendAnswer(next.message.sessionId, await answer(device, next.message.sessionId, 'accept'));
    expect(await (await elsewhere).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
  });

  it('from the magic-link page too; a profile with the block at 0 keeps serving the number', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ unexpectedBlockMinutes: 0, plusActivationLinks: false });
    const msisdn = freshMsisdn();
    const call = callApi(key, { msisdn }, name);
    const { link } = await sms.nextSms();
    const page = await decideLink(link, 'report');
    expect(await page.text()).toContain('Reported');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', reason: 'unexpected', receipt: expect.any(String) });
    const again = callApi(key, { msisdn }, name);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await again).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });
});

describe('context for the person deciding', () => {
  it('the page shows which profile asked and when', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ plusActivationLinks: false });
    const call = callApi(key, { msisdn: freshMsisdn() }, name);
    const { link } = await sms.nextSms();
    const html = await (await SELF.fetch(link, { headers: { 'accept-language': 'en' } })).text();
    expect(html).toMatch(new RegExp(`Requested by: <strong>${name}</strong> · Requested \\d\\d:\\d\\d:\\d\\d UTC`));
    expect(html).toMatch(/name="decision" value="report"[^>]*>This wasn(&#39;|')t me/);
    await decideLink(link, 'reject');
    await call;
  });
});
