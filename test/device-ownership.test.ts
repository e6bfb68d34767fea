/**
 * A number's sign-ins belong to the number's holder: every activation sends the number an SMS notice
 * with a link that deactivates the new device; the Devices page says how each device was activated;
 * and a push session whose every device is deactivated while it waits goes on by SMS at once.
 */
import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findDevice } from '../src/store/devices';
import { json, signedInAs } from './admin-client';
import { activateTestDevice, activationCode, newTestDevice, postActivate } from './device-support';
import { fakePushRelay } from './push-support';
import { callApi, db, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

let profiles = 0;
async function endpoint(settings: Parameters<typeof seedProfile>[1] = {}) {
  const name = `owned-${++profiles}`;
  await seedProfile(name, { rateLimit: { perMinute: 20, perHour: 100 }, ...settings });
  return { name, key: await seedToken({ profile: name }) };
}

const auditEntries = async (action: string) => {
  const reader = await signedInAs('user');
  return (await json(await reader('GET', `/audit-log?action=${action}&size=200`))).items as { actor: string; target: string; changes: Record<string, unknown> }[];
};

describe('every activation sends the number a notice', () => {
  it('with a link that deactivates the device: GET only shows it, POST deactivates it, once', async () => {
    const sms = fakeSmsProvider();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn, { label: 'Pixel 8' });
    const notice = await sms.nextDeviceSms();
    expect(notice.form.get('to')).toBe(msisdn);
    expect(notice.form.get('message')).toMatch(/^En ny enhet \(“Pixel 8”, Android\) kan nu godkänna inloggningar för det här numret\. Var det inte du\? Inaktivera den: http:\/\/localhost\/plus\/deactivate\/[A-Za-z0-9_-]{22}$/);

    // A link previewer fetching it changes nothing.
    const page = await SELF.fetch(notice.link, { headers: { 'accept-language': 'en' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('“Pixel 8”, Android was activated for');
    expect(html).toContain(device.msisdnMasked);
    expect(await findDevice(db(), device.deviceId)).not.toBeNull();

    const deactivated = await SELF.fetch(notice.link, { method: 'POST', headers: { 'accept-language': 'en', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(deactivated.status).toBe(200);
    expect(await deactivated.text()).toContain('Device deactivated');
    expect(await findDevice(db(), device.deviceId)).toBeNull();

    const again = await SELF.fetch(notice.link, { method: 'POST', headers: { 'accept-language': 'en' } });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('no longer works');
    expect((await auditEntries('device.deactivated')).find((entry) => entry.target.includes(device.deviceId))).toMatchObject({ actor: '(number holder)' });
  });

  it('in English for a number outside Sweden', async () => {
    const sms = fakeSmsProvider();
    await activateTestDevice('+4915112345678', { platform: 'ios' });
    expect((await sms.nextDeviceSms()).form.get('message')).toMatch(/^A new device \(iPhone\) can now approve sign-ins for this number\. If this wasn't you, deactivate it: /);
  });

  it('refuses a cross-site POST and an unknown code, changing nothing', async () => {
    const sms = fakeSmsProvider();
    const device = await activateTestDevice(freshMsisdn());
    const { link } = await sms.nextDeviceSms();
    expect((await SELF.fetch(link, { method: 'POST', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await SELF.fetch(`${link.slice(0, -4)}AAAA`, { method: 'POST' })).status).toBe(404);
    expect((await SELF.fetch('http://localhost/plus/deactivate/short', { method: 'POST' })).status).toBe(404);
    expect(await findDevice(db(), device.deviceId)).not.toBeNull();
  });

  it('an activation from the link in a sign-in SMS: the notice goes out, the Devices page says how, the audit log has it', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ plusActivationLinks: true });
    const msisdn = freshMsisdn();
    const call = callApi(key, { msisdn, 'touch-timeout': '1' }, name);
    const signIn = await sms.nextSms();
    await call;
    const activationLink = /\S+\/plus\/activate\/\S+/.exec(signIn.form.get('message') ?? '')![0];
    const activated = await postActivate({ code: activationCode(activationLink), installationId: 'from-sign-in-sms', platform: 'android', pushToken: 'p-1', publicKey: (await newTestDevice()).publicKeyJwk });
    expect(activated.status).toBe(201);
    const { deviceId } = await activated.json<{ deviceId: string }>();
    expect((await sms.nextDeviceSms()).link).toContain('/plus/deactivate/');

    const admin = await signedInAs('admin');
    const { items } = await json(await admin('GET', `/devices?msisdn=${encodeURIComponent(msisdn)}`));
    expect(items).toEqual([expect.objectContaining({ id: deviceId, activatedVia: 'sign-in-sms', activatedBy: null })]);
    await vi.waitFor(async () =>
      expect((await auditEntries('device.activated')).find((entry) => entry.target.includes(deviceId))).toMatchObject({
        actor: '(companion app)',
        changes: { via: 'sign-in-sms', platform: 'android', notice: 'sent by SMS' },
      }),
    );
  });
});

describe('a push session whose every device is deactivated while it waits goes on by SMS at once', () => {
  async function waitingPushSession(devices = 1) {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const activated = [];
    for (let i = 0; i < devices; i++) activated.push(await activateTestDevice(msisdn));
    const call = callApi(key, { msisdn, 'touch-timeout': '30' }, name);
    const push = await relay.nextPush();
    // Listed for the pending pull: a deactivation can find it.
    await vi.waitFor(async () => expect(await env.DB.prepare('SELECT 1 FROM push_sessions WHERE session_id = ?').bind(push.message.sessionId).first()).not.toBeNull());
    return { sms, relay, call, devices: activated, msisdn };
  }

  it('deactivated by an administrator: the SMS comes, its link answers the same call', async () => {
    const { sms, call, devices, msisdn } = await waitingPushSession();
    const admin = await signedInAs('admin');
    expect((await admin('DELETE', `/devices/${devices[0]!.deviceId}`)).status).toBe(204);
    const fallback = await sms.nextSms();
    expect(fallback.form.get('to')).toBe(msisdn);
    await decideLink(fallback.link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('deactivated by the app itself', async () => {
    const { sms, call, devices } = await waitingPushSession();
    const device = devices[0]!;
    const response = await SELF.fetch('http://localhost/api/plus/v1/deactivate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await device.signRequest('deactivate', [device.deviceId])),
    });
    expect(response.status).toBe(200);
    await decideLink((await sms.nextSms()).link, 'reject');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('deactivated by the number holder with the notice link', async () => {
    const { sms, call } = await waitingPushSession();
    const notice = sms.deviceSms.find((message) => message.link.includes('/plus/deactivate/'))!;
    expect((await SELF.fetch(notice.link, { method: 'POST' })).status).toBe(200);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('one of two devices deactivated: no SMS, the other still answers', async () => {
    const { sms, relay, call, devices } = await waitingPushSession(2);
    const sessionId = relay.sent[0]!.message.sessionId;
    const admin = await signedInAs('admin');
    await admin('DELETE', `/devices/${devices[0]!.deviceId}`);
    const other = devices[1]!;
    const answer = await SELF.fetch(`http://localhost/api/plus/v1/sessions/${sessionId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...(await other.signRequest('decision', [sessionId, other.deviceId, 'accept', ''])), decision: 'accept' }),
    });
    expect(answer.status).toBe(200);
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
    expect(sms.sent).toHaveLength(0);
  });

  it('a device removed just before the push (still in another isolate’s device list) is noticed by the session itself', async () => {
    const sms = fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    // A first sign-in fills this isolate's device list for the number.
    const first = callApi(key, { msisdn, 'touch-timeout': '1' }, name);
    await relay.nextPush();
    await first;
    // The device goes behind the cache's back, as a deactivation in another isolate would: nobody tells a session.
    await env.DB.prepare('DELETE FROM devices WHERE id = ?').bind(device.deviceId).run();
    const second = callApi(key, { msisdn, 'touch-timeout': '30' }, name);
    await relay.nextPush();
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await second).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });
});
