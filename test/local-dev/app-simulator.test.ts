import { SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import type { DevPush } from '../../src/providers/push/dev-inbox';
import type { OutboxMessage } from '../../src/providers/sms/outbox';
import { activateTestDevice, newTestDevice, ORIGIN, postActivate, type ActivatedTestDevice } from '../device-support';
import { freshMsisdn, seedToken } from '../support';

const createActivation = (body: unknown) =>
  SELF.fetch(`${ORIGIN}/dev/app/activation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const readPushes = async (deviceId: string) => {
  const response = await SELF.fetch(`${ORIGIN}/dev/app/pushes?deviceId=${encodeURIComponent(deviceId)}`);
  expect(response.status).toBe(200);
  return response.json<DevPush[]>();
};

const callApi = async (msisdn: string) =>
  SELF.fetch(`${ORIGIN}/api/sfwa/auth?${new URLSearchParams({ msisdn, 'touch-timeout': '60' })}`, { headers: { 'api-key': await seedToken() } });

const waitFor = <T>(read: () => Promise<T | undefined>, what: string) =>
  vi.waitFor(
    async () => {
      const value = await read();
      if (value === undefined) throw new Error(`no ${what} yet`);
      return value;
    },
    { timeout: 5000, interval: 20 },
  );

async function decide(device: ActivatedTestDevice, sessionId: string, decision: 'accept' | 'reject') {
  const body = { ...(await device.signRequest('decision', [sessionId, device.deviceId, decision, ''])), decision };
  return SELF.fetch(`${ORIGIN}/api/plus/v1/sessions/${sessionId}/decision`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('the app simulator (/dev/app)', () => {
  it('serves the page with its script from the same origin, under the nonce of the CSP', async () => {
    const page = await SELF.fetch(`${ORIGIN}/dev/app?msisdn=%2B46701234567`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
    // One script, same-origin and carrying the nonce; no inline script or handler for the CSP to block.
    expect(scripts).toEqual([expect.stringContaining('src="/dev/app.js"')]);
    expect(scripts[0]).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const testId of ['activate-input', 'activate-button', 'broken-push', 'device-id', 'device-number', 'deactivate', 'requests']) {
      expect(html).toContain(`data-testid="${testId}"`);
    }
    // The number from the phone page's link is filled in.
    expect(html).toContain('value="+46701234567"');
    expect(html).toContain('Simulate a broken push token');

    const script = await SELF.fetch(`${ORIGIN}/dev/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await script.text();
    for (const path of ['/dev/app/activation', '/api/plus/v1/activate', '/api/plus/v1/pending', '/api/plus/v1/deactivate', '/dev/app/pushes', "'sfwa-plus-v'", 'textsHash']) {
      expect(source).toContain(path);
    }
  });

  it('is linked from the phone inbox page, with the number', async () => {
    const html = await (await SELF.fetch(`${ORIGIN}/dev/phone?msisdn=%2B46701234567`)).text();
    expect(html).toContain('<a href="/dev/app?msisdn=%2B46701234567">Open the app simulator</a>');
  });

  it('creates an activation link that activates a device through the app API, once', async () => {
    const msisdn = freshMsisdn();
    const response = await createActivation({ msisdn: msisdn.replace('+46', '0046 ') });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { url, code, msisdnMasked } = await response.json<{ url: string; code: string; msisdnMasked: string }>();
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(url).toBe(`${ORIGIN}/plus/activate/${code}`);
    expect(msisdnMasked).toBe(`${msisdn.slice(0, 5)}*****${msisdn.slice(-2)}`);

    const body = { code, installationId: `web-${crypto.randomUUID()}`, platform: 'web', pushToken: 'dev:simulator', publicKey: (await newTestDevice()).publicKeyJwk, label: 'App simulator' };
    const activated = await postActivate(body);
    expect(activated.status).toBe(201);
    expect(await activated.json()).toEqual({ deviceId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), msisdnMasked });
    expect((await postActivate(body)).status).toBe(410);
  });

  it('refuses a bad number with 400 naming msisdn, and creates nothing', async () => {
    for (const body of [{ msisdn: 'not a number' }, { msisdn: '' }, {}]) {
      const response = await createActivation(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'msisdn' }] });
    }
  });

  it('shows the pushes the dev provider recorded for a device, and only that device', async () => {
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn, { platform: 'web', pushToken: 'dev:simulator-test' });
    const other = await activateTestDevice(freshMsisdn(), { platform: 'web' });
    expect(await readPushes(device.deviceId)).toEqual([]);

    const call = callApi(msisdn);
    const [push] = await waitFor(async () => {
      const pushes = await readPushes(device.deviceId);
      return pushes.length ? pushes : undefined;
    }, 'push');
    expect(push).toMatchObject({
      deviceId: device.deviceId,
      platform: 'web',
      pushToken: 'dev:simulator-test',
      message: { sessionId: expect.stringMatching(/^[0-9a-f]{64}$/), profileName: 'default', matchRequired: false },
    });
    expect(Date.now() - Date.parse(push!.sentAt)).toBeLessThan(10_000);
    expect(await readPushes(other.deviceId)).toEqual([]);

    // The push is the real session's: answering it with the device's key ends the API call.
    expect((await decide(device, push!.message.sessionId, 'accept')).status).toBe(200);
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
  });

  it('refuses a pushes query without a valid device id, naming deviceId', async () => {
    for (const query of ['', '?deviceId=', '?deviceId=a%20b']) {
      const response = await SELF.fetch(`${ORIGIN}/dev/app/pushes${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'deviceId' }] });
    }
  });

  it('"broken push token": the push fails, the sign-in goes by SMS, and the device is deactivated', async () => {
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn, { platform: 'web', pushToken: 'dev-gone:simulator-test' });
    const call = callApi(msisdn);
    // The number's outbox also has the activation's notice: the sign-in SMS is the one with a magic link.
    const [sms] = await waitFor(async () => {
      const messages = await (await SELF.fetch(`${ORIGIN}/dev/outbox?msisdn=${encodeURIComponent(msisdn)}`)).json<OutboxMessage[]>();
      const signIns = messages.filter((message) => message.url.includes('/l/'));
      return signIns.length ? signIns : undefined;
    }, 'SMS');
    expect(await readPushes(device.deviceId)).toEqual([]);
    // The simulator's pending pull is refused from now on: the device is gone.
    await vi.waitFor(async () => {
      const pull = await SELF.fetch(`${ORIGIN}/api/plus/v1/pending`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(await device.signRequest('pending', [device.deviceId])),
      });
      expect(pull.status).toBe(401);
    });
    await SELF.fetch(sms!.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'reject' }) });
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });
});
