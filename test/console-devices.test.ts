import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../src/security/crypto';
import { authenticateSignedRequest } from '../src/access/signed-request';
import { findActivation, findDevice } from '../src/store/devices';
import { browserAs, consoleFetch, controlAttribute, countTestIds, fieldError, testIdText, type Browser } from './console-client';
import { activateTestDevice, activationCode, newTestDevice, postActivate } from './device-support';
import { db, fakeSmsProvider, freshMsisdn } from './support';

afterEach(() => vi.restoreAllMocks());

let admin: Browser;
let reader: Browser;
beforeAll(async () => {
  admin = await browserAs('admin');
  reader = await browserAs('user');
});

const listPath = (msisdn: string) => `/admin/devices?${new URLSearchParams({ msisdn })}`;
const deviceIds = (html: string) => [...html.matchAll(/data-testid="device-row" data-device="([^"]+)"/g)].map((m) => m[1]);
const activationCount = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM device_activations').first<{ n: number }>())?.n ?? 0;

describe('looking up a number', () => {
  it('lists its devices with platform, label, masked number and dates, never the push token or key', async () => {
    const msisdn = freshMsisdn();
    const phone = await activateTestDevice(msisdn, { label: 'Work phone', pushToken: 'secret-push-token-a' });
    const tablet = await activateTestDevice(msisdn, { platform: 'ios', pushToken: 'secret-push-token-b' });
    const response = await admin.get(listPath(msisdn));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(deviceIds(html)).toEqual([phone.deviceId, tablet.deviceId]);
    expect(testIdText(html, 'device-number')).toBe(phone.msisdnMasked);
    expect(html).toContain('Work phone');
    expect(html).toContain('Unnamed iOS device');
    expect(html).toContain('aria-current="page" data-testid="nav-devices"');
    for (const secret of ['secret-push-token', phone.publicKeyJwk.x!, phone.publicKeyJwk.y!, phone.installationId]) expect(html).not.toContain(secret);
    // The typed number stays in the lookup field.
    expect(controlAttribute(html, 'lookup-msisdn', 'value')).toBe(msisdn);
    expect(countTestIds(html, 'deactivate-device')).toBe(2);
    expect(countTestIds(html, 'create-activation-form')).toBe(1);
  });

  it('says so when the number has no devices, and refuses an invalid number beside the field', async () => {
    const empty = await (await admin.get(listPath(freshMsisdn()))).text();
    expect(countTestIds(empty, 'no-devices')).toBe(1);

    const refused = await admin.get(listPath('12345'));
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(fieldError(html, 'lookup-msisdn')).toMatch(/^Must be a phone number in international format/);
    expect(controlAttribute(html, 'lookup-msisdn', 'value')).toBe('12345');
    expect(countTestIds(html, 'device-table')).toBe(0);

    const blank = await admin.get('/admin/devices');
    expect(blank.status).toBe(200);
    expect(countTestIds(await blank.text(), 'device-table')).toBe(0);
  });

  it('shows a read-only user the devices without any control, and refuses their POSTs (403)', async () => {
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const html = await (await reader.get(listPath(msisdn))).text();
    expect(deviceIds(html)).toEqual([device.deviceId]);
    expect(countTestIds(html, 'deactivate-device')).toBe(0);
    expect(countTestIds(html, 'create-activation-form')).toBe(0);

    const before = await activationCount();
    expect((await reader.post('/admin/devices/activations', { msisdn })).status).toBe(403);
    expect(await activationCount()).toBe(before);
    expect((await reader.get(`/admin/devices/${device.deviceId}/deactivate`)).status).toBe(403);
    expect((await reader.post(`/admin/devices/${device.deviceId}/deactivate`)).status).toBe(403);
    expect(await findDevice(db(), device.deviceId)).not.toBeNull();
  });

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const response = await consoleFetch('GET', '/admin/devices');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/admin/sign-in?next=${encodeURIComponent('/admin/devices')}`);
  });
});

describe('deactivating a device', () => {
  it('asks first, then deactivates and returns to the number’s list with a message', async () => {
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn, { label: 'Old phone' });
    const keep = await activateTestDevice(msisdn);

    const confirm = await admin.get(`/admin/devices/${device.deviceId}/deactivate?${new URLSearchParams({ msisdn })}`);
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    expect(countTestIds(confirmHtml, 'confirm-page')).toBe(1);
    expect(confirmHtml).toContain('Deactivate “Old phone”?');
    const action = /<form method="post" action="([^"]*\/deactivate[^"]*)"/.exec(confirmHtml)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(action).toBe(`/admin/devices/${device.deviceId}/deactivate?${new URLSearchParams({ msisdn })}`);
    expect(await findDevice(db(), device.deviceId)).not.toBeNull();

    const done = await admin.post(action);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(listPath(msisdn));
    const list = await (await admin.follow(done)).text();
    expect(testIdText(list, 'flash')).toBe(`“Old phone” of ${device.msisdnMasked} deactivated.`);
    expect(deviceIds(list)).toEqual([keep.deviceId]);

    const request = await device.signRequest('pending', [device.deviceId]);
    expect(await authenticateSignedRequest(db(), request, 'pending', [device.deviceId], Date.now())).toEqual({ ok: false, reason: 'unknown-device' });
    expect((await admin.post(action)).status).toBe(404);
  });

  it('refuses a cross-site deactivation', async () => {
    const device = await activateTestDevice(freshMsisdn());
    const response = await admin.post(`/admin/devices/${device.deviceId}/deactivate`, {}, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
    expect(await findDevice(db(), device.deviceId)).not.toBeNull();
  });
});

describe('creating an activation link', () => {
  it('sends the link by SMS to the number, never shows it, and the device it activates shows who had it sent', async () => {
    const sms = fakeSmsProvider();
    const msisdn = freshMsisdn();
    const response = await admin.post('/admin/devices/activations', { msisdn: msisdn.replace('+46', '0046 ') });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(testIdText(html, 'activation-sent')).toContain('sent by SMS');
    const invite = await sms.nextDeviceSms();
    expect(invite.form.get('to')).toBe(msisdn);
    expect(invite.link).toMatch(/^http:\/\/localhost\/plus\/activate\/[A-Za-z0-9_-]{22}$/);
    const code = activationCode(invite.link);
    // The administrator's page never carries the link.
    expect(html).not.toContain(code);
    expect(countTestIds(html, 'activation-link')).toBe(0);

    const { publicKeyJwk } = await newTestDevice();
    const activated = await postActivate({ code, installationId: 'console-made-link', platform: 'android', pushToken: 'p', publicKey: publicKeyJwk });
    expect(activated.status).toBe(201);
    const list = await (await admin.get(listPath(msisdn))).text();
    expect(deviceIds(list)).toEqual([(await activated.json<{ deviceId: string }>()).deviceId]);
    expect(testIdText(list, 'device-activated-how')).toMatch(/^With a link sent by SMS at .+’s request$/);
    expect(list).not.toContain(code);
  });

  it('refuses an invalid number beside the field, keeping it, and stores nothing', async () => {
    const before = await activationCount();
    const response = await admin.post('/admin/devices/activations', { msisdn: '+46 70 12' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'activation-msisdn')).toMatch(/^Must be a phone number in international format/);
    expect(controlAttribute(html, 'activation-msisdn', 'value')).toBe('+46 70 12');
    expect(countTestIds(html, 'activation-link')).toBe(0);
    expect(await activationCount()).toBe(before);

    const blank = await admin.post('/admin/devices/activations', { msisdn: '' });
    expect(blank.status).toBe(400);
    expect(fieldError(await blank.text(), 'activation-msisdn')).toBe('Is required');
    expect(await activationCount()).toBe(before);
  });
});
